#include "cli/command_validate.hpp"

#include "converters/reader.hpp"
#include "converters/scan.hpp"
#include "converters/stream.hpp"
#include "converters/validate.hpp"
#include "model/text.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <span>
#include <string_view>

#ifndef US_SCHEMAS_DIR
#error "US_SCHEMAS_DIR must name the schemas folder"
#endif

namespace ultrastrength::cli {

namespace {

/// $ULTRASTRENGTH_SCHEMAS, else share/ultrastrength/schemas next to the
/// installed binary's bin/, else the source tree's schemas/ (a build).
std::string schemas_dir() {
    if (const char* env = std::getenv("ULTRASTRENGTH_SCHEMAS"); env != nullptr && *env != '\0') {
        return env;
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed =
            exe.parent_path().parent_path() / "share" / "ultrastrength" / "schemas";
        if (std::filesystem::is_directory(installed, ec)) {
            return installed.string();
        }
    }
    return US_SCHEMAS_DIR;
}

/// What `scan` refuses in a file the format's validator passed: its own
/// limits (no DOCTYPE, nesting, text lengths), the reader's structure
/// rules. `validate` never calls valid a file that `scan` refuses.
void add_scan_refusals(const std::string& path, ValidationReport& report) {
    const ReaderRegistry& registry = default_readers();
    FileStream stream(path);
    for (const InputOutcome& o : decode_input(registry, stream, path)) {
        if (o.kind != InputOutcome::Kind::rejected) {
            continue;
        }
        std::string message = o.message;
        if (const std::string prefix = path + ": "; message.rfind(prefix, 0) == 0) {
            message.erase(0, prefix.size()); // the command names the file itself
        }
        report.problems.push_back({std::nullopt, std::nullopt, "refused by scan: " + message});
    }
}

} // namespace

std::string CommandValidate::details() const {
    return "Checks TCX files against Garmin's TrainingCenterDatabase v2 XSD and GPX 1.1 files\n"
           "against TopoGrafix's GPX 1.1 XSD with Garmin's TrackPointExtension v1, offline, and\n"
           "FIT files' headers, header and file CRCs (every chained part) and structure. A file\n"
           "that is not well-formed XML is reported with the line and the parser's reason; a\n"
           "file that `scan` refuses (a DOCTYPE, hostile nesting, no usable records) is not\n"
           "called valid. UTF-16 TCX and GPX files with a byte-order mark are read.\n"
           "Every problem is printed as FILE:LINE (XML) or FILE: byte N (FIT): what was expected.\n"
           "\n"
           "Not bundled (no copy could be included): the GPX 1.0 XSD, so GPX 1.0 files are\n"
           "reported as not checkable (exit 1); ActivityExtension v2 and TrackPointExtension v2,\n"
           "so that extension content is not checked. Put gpx10.xsd, ActivityExtensionv2.xsd or\n"
           "TrackPointExtensionv2.xsd into the schemas folder to check them too.\n"
           "\n"
           "The schemas folder: $ULTRASTRENGTH_SCHEMAS when set; else share/ultrastrength/schemas\n"
           "beside the installed program (/usr/share/ultrastrength/schemas from the package,\n"
           "/usr/local/share/ultrastrength/schemas after cmake --install); else, for a program\n"
           "run from its build folder, the schemas/ folder of the source tree it was built "
           "from.\n\n"
           "Exit status: 0 all files valid, 1 some invalid or unreadable.\n";
}

void CommandValidate::add_options(po::options_description& options,
                                  po::positional_options_description& positional) {
    options.add_options()("file", po::value(&m_files)->value_name("FILE")->multitoken(),
                          "files to check")("quiet,q", po::bool_switch(&m_quiet),
                                            "print problems only, not the files that are valid");
    positional.add("file", -1);
}

void CommandValidate::apply(const po::variables_map& vm) {
    if (vm.count("file") == 0 || m_files.empty()) {
        throw UsageError("no FILE given: name at least one file to validate");
    }
}

int CommandValidate::run() {
    const std::string dir = schemas_dir();
    bool all_valid = true;
    for (const std::string& path : m_files) {
        std::array<std::uint8_t, 4096> head{};
        std::size_t head_size = 0;
        {
            std::ifstream in(path, std::ios::binary);
            if (!in) {
                std::cout << printable(path) << ": cannot open\n";
                all_valid = false;
                continue;
            }
            in.read(reinterpret_cast<char*>(head.data()),
                    static_cast<std::streamsize>(head.size()));
            head_size = static_cast<std::size_t>(in.gcount());
        }
        const std::span<const std::uint8_t> first(head.data(), head_size);
        // The reader that would read the file checks it (Reader::validate).
        const Reader* reader =
            default_readers().identify(first, std::filesystem::path(path).filename().string());
        const std::string name = printable(path);
        try {
            std::optional<ValidationReport> checked;
            if (reader != nullptr) {
                checked = reader->validate(path, first, dir);
            }
            if (!checked) {
                std::cout << name << ": no validator for this content (expected "
                          << reader_names(", ", ", ") << ")\n";
                all_valid = false;
                continue;
            }
            ValidationReport& report = *checked;
            if (report.valid()) {
                add_scan_refusals(path, report);
            }
            for (const ValidationProblem& p : report.problems) {
                std::cout << name;
                if (p.line) {
                    std::cout << ':' << *p.line;
                } else if (p.byte_offset) {
                    std::cout << ": byte " << *p.byte_offset;
                }
                std::cout << ": " << printable(p.message) << '\n';
            }
            if (!report.valid()) {
                all_valid = false;
            } else if (!m_quiet) {
                std::cout << name << ": valid (" << report.checked_against << ")\n";
            }
        } catch (const std::exception& e) {
            std::cout << name << ": " << printable(e.what()) << '\n';
            all_valid = false;
        }
    }
    return all_valid ? exit_ok : exit_partial;
}

} // namespace ultrastrength::cli
