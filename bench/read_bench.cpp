// In-process read throughput of our readers: each input is loaded into
// memory once, then decoded repeatedly through the same path `scan` uses
// (identify, then Reader::read) until at least --min-seconds have passed.
// Prints bytes, records, MB/s and records/s per input on one core, so the
// figures exclude disk, process start-up and threading.
//
//   read_bench [--min-seconds S] PATH...     (a folder counts as one input: all its files)
#include "converters/reader.hpp"
#include "converters/scan.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
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

    std::printf("%-28s %10s %12s %9s %10s %12s\n", "input", "MB", "records", "passes", "MB/s",
                "records/s");
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
        const std::uint64_t records = decode_all(registry, inputs, error);  // warm-up and check
        if (!error.empty()) {
            std::fprintf(stderr, "read_bench: %s\n", error.c_str());
            return 1;
        }
        int passes = 0;
        const auto start = clock_type::now();
        double elapsed = 0;
        do {
            decode_all(registry, inputs, error);
            ++passes;
            elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
        } while (elapsed < min_seconds);
        const double per_pass = elapsed / passes;
        const double mb = static_cast<double>(bytes) / 1e6;
        std::printf("%-28s %10.2f %12llu %9d %10.1f %12.0f\n",
                    std::filesystem::path(path).filename().string().c_str(), mb,
                    static_cast<unsigned long long>(records), passes, mb / per_pass,
                    static_cast<double>(records) / per_pass);
    }
    return 0;
}
