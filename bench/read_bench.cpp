// In-process read throughput of our readers: each input is loaded into
// memory once, then decoded repeatedly through the same path `scan` uses
// (identify, then Reader::read) until at least --min-seconds have passed.
// Prints bytes, records, MB/s and records/s per input on one core, so the
// figures exclude disk, process start-up and threading. The rates are given
// twice: per second of wall time, and per second of CPU time of this process
// (the same on an idle machine; on a shared one the wall-time rate also
// counts the time other processes held the core).
//
//   read_bench [--min-seconds S] PATH...     (a folder counts as one input: all its files)
#include "converters/reader.hpp"
#include "converters/scan.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using namespace ultrastrength;
using clock_type = std::chrono::steady_clock;

struct Input {
    std::string path;
    std::vector<std::uint8_t> bytes;
};

std::vector<std::uint8_t> load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// CPU seconds used by this process so far.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// One pass over all inputs: returns the records decoded (0 if any input failed).
std::uint64_t decode_all(const ReaderRegistry& registry, const std::vector<Input>& inputs,
                         std::string& error) {
    std::uint64_t records = 0;
    for (const auto& input : inputs) {
        MemoryStream stream(input.bytes);
        for (const auto& outcome : decode_input(registry, stream, input.path)) {
            if (outcome.kind == InputOutcome::Kind::rejected) {
                error = outcome.message;
            }
            for (const auto& activity : outcome.activities) {
                records += activity.records;
            }
        }
    }
    return records;
}

} // namespace

int main(int argc, char* argv[]) {
    double min_seconds = 1.0;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--min-seconds") == 0 && i + 1 < argc) {
            min_seconds = std::stod(argv[++i]);
        } else {
            paths.emplace_back(argv[i]);
        }
    }
    if (paths.empty()) {
        std::fprintf(stderr, "usage: read_bench [--min-seconds S] PATH...\n");
        return 2;
    }
    ReaderRegistry registry;
    register_all(registry);

    std::printf("%-20s %8s %10s %7s %9s %11s %9s %11s\n", "input", "MB", "records", "passes",
                "MB/s", "records/s", "MB/cpu-s", "rec/cpu-s");
    for (const auto& path : paths) {
        std::vector<Input> inputs;
        for (const auto& file : list_inputs({path}).files) {
            inputs.push_back({file, load(file)});
        }
        std::uint64_t bytes = 0;
        for (const auto& input : inputs) {
            bytes += input.bytes.size();
        }
        std::string error;
        const std::uint64_t records = decode_all(registry, inputs, error); // warm-up and check
        if (!error.empty()) {
            std::fprintf(stderr, "read_bench: %s\n", error.c_str());
            return 1;
        }
        int passes = 0;
        const auto start = clock_type::now();
        const double cpu_start = cpu_seconds();
        double elapsed = 0;
        do {
            decode_all(registry, inputs, error);
            ++passes;
            elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
        } while (elapsed < min_seconds);
        const double per_pass = elapsed / passes;
        const double cpu_per_pass = (cpu_seconds() - cpu_start) / passes;
        const double mb = static_cast<double>(bytes) / 1e6;
        const auto n = static_cast<double>(records);
        std::printf("%-20s %8.2f %10llu %7d %9.1f %11.0f %9.1f %11.0f\n",
                    std::filesystem::path(path).filename().string().c_str(), mb,
                    static_cast<unsigned long long>(records), passes, mb / per_pass, n / per_pass,
                    mb / cpu_per_pass, n / cpu_per_pass);
    }
    return 0;
}
