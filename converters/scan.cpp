#include "converters/scan.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <system_error>
#include <thread>

namespace ultrastrength {

namespace fs = std::filesystem;

InputList list_inputs(const std::vector<std::string>& paths) {
    InputList list;
    for (const auto& path : paths) {
        std::error_code ec;
        const auto status = fs::status(path, ec);
        if (ec || !fs::exists(status)) {
            InputOutcome missing;
            missing.source = path;
            missing.message = "no such file or folder";
            list.missing.push_back(std::move(missing));
            continue;
        }
        if (!fs::is_directory(status)) {
            list.files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code type_ec;
            if (it->is_regular_file(type_ec)) {
                found.push_back(it->path().string());
            }
        }
        if (ec) {
            InputOutcome unreadable;
            unreadable.source = path;
            unreadable.message = "cannot list folder: " + ec.message();
            list.missing.push_back(std::move(unreadable));
        }
        std::sort(found.begin(), found.end());
        list.files.insert(list.files.end(), found.begin(), found.end());
    }
    return list;
}

std::vector<InputOutcome> decode_input(const ReaderRegistry& registry, ByteStream& in,
                                       const std::string& source) {
    InputOutcome outcome;
    outcome.source = source;
    PeekStream peek(in);
    const auto file_name = std::string_view(source).substr(source.find_last_of("/!") + 1);
    const Reader* reader = registry.identify(peek.head(), file_name);
    if (reader == nullptr) {
        outcome.kind = InputOutcome::Kind::skipped;
        outcome.message = peek.head().empty() ? "empty file" : "not an activity file (unknown format)";
        outcome.bytes = peek.bytes_read();
        return {std::move(outcome)};
    }
    try {
        ReadResult result = reader->read(peek, source);
        outcome.content_hash = peek.finish_hash();
        outcome.warnings = std::move(result.warnings);
        if (!result.activities.empty()) {
            outcome.kind = InputOutcome::Kind::read;
            for (auto& activity : result.activities) {
                activity.content_hash = outcome.content_hash;
            }
            outcome.activities = std::move(result.activities);
        } else {
            outcome.kind = InputOutcome::Kind::skipped;
            outcome.message = result.skipped.empty() ? "no activity in file" : result.skipped;
        }
    } catch (const ReadError& e) {
        outcome.kind = InputOutcome::Kind::rejected;
        outcome.message = e.what();
    }
    outcome.bytes = peek.bytes_read();
    return {std::move(outcome)};
}

std::vector<InputOutcome> scan_inputs(const ReaderRegistry& registry,
                                      const std::vector<std::string>& paths,
                                      const ScanOptions& options) {
    InputList list = list_inputs(paths);
    std::vector<std::vector<InputOutcome>> per_file(list.files.size());

    auto work_on = [&](std::size_t i) {
        const std::string& path = list.files[i];
        try {
            FileStream file(path);
            per_file[i] = decode_input(registry, file, path);
        } catch (const std::exception& e) {
            // InputError (open/read/limits) or an allocation failure: this
            // input only; the batch goes on.
            InputOutcome failed;
            failed.source = path;
            failed.message = e.what();
            per_file[i] = {std::move(failed)};
        }
    };

    unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
    jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, list.files.size())));
    if (jobs <= 1) {
        for (std::size_t i = 0; i < list.files.size(); ++i) {
            work_on(i);
        }
    } else {
        std::atomic<std::size_t> next{0};
        std::vector<std::jthread> workers;
        workers.reserve(jobs);
        for (unsigned w = 0; w < jobs; ++w) {
            workers.emplace_back([&] {
                for (std::size_t i = next++; i < list.files.size(); i = next++) {
                    work_on(i);
                }
            });
        }
    }

    std::vector<InputOutcome> outcomes = std::move(list.missing);
    for (auto& file_outcomes : per_file) {
        for (auto& outcome : file_outcomes) {
            outcomes.push_back(std::move(outcome));
        }
    }
    return outcomes;
}

} // namespace ultrastrength
