#include "cli/command_scan.hpp"

#include "cli/output.hpp"
#include "cli/scanning.hpp"
#include "converters/scan.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace ultrastrength::cli {

std::string CommandScan::usage() const {
    return "ultrastrength scan [OPTIONS] INPUT...";
}

std::string CommandScan::details() const {
    return "INPUT is a " + reader_names(", ", " or ") +
           " file, a folder (searched recursively), a .gz or .zip\n"
           "file, or a whole Garmin Connect or Strava bulk export. Formats are recognised by\n"
           "content, not by file name.\n\n"
           "Without --json: a table of activities, then one line per skipped or rejected\n"
           "input and a summary. With --json: JSON Lines on stdout, one object per activity\n"
           "with the keys source, format, sport, sub_sport, start, utc_offset_s, elapsed_s,\n"
           "timer_s, moving_s, distance_m, ascent_m, descent_m, avg_hr, max_hr, records and\n"
           "flags (unknown values are null), and one object with source and error or\n"
           "skipped for each input that yields no activity, and one object with source and\n"
           "duplicate_of for each activity already listed from a richer input (" +
           reader_names(" > ", " >\n", true) +
           "): same sport family, start within 60 s and distance within 3 %, or more\n"
           "than half of the shorter one's time overlapping.\n\n"
           "Exit status: 0 all inputs read or skipped, 1 some rejected, 3 none readable.\n\n"
           "Examples:\n"
           "  ultrastrength scan ~/exports/export_12345.zip\n"
           "  ultrastrength scan --json activities/ > activities.jsonl\n";
}

void CommandScan::add_options(po::options_description& options,
                              po::positional_options_description& positional) {
    options.add_options()("input", po::value(&m_inputs)->value_name("INPUT")->multitoken(),
                          "files, folders or archives to read");
    options.add(common_options(m_common));
    positional.add("input", -1);
}

void CommandScan::apply(const po::variables_map& vm) {
    if (vm.count("input") == 0 || m_inputs.empty()) {
        throw UsageError("no INPUT given: name at least one file, folder or archive");
    }
}

int CommandScan::run() {
    const ReaderRegistry& registry = default_readers();
    const auto outcomes = scan_with_options(registry, m_inputs, m_common, std::cerr).outcomes;
    const ScanSummary summary = summarize(outcomes);

    if (m_common.json) {
        std::string out;
        for (const auto& outcome : outcomes) {
            for (const auto& line : outcome_json_lines(outcome)) {
                out += line;
                out += '\n';
            }
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else {
        print_activity_table(std::cout, outcomes);
    }
    print_problems(std::cerr, outcomes, m_common.verbose, m_common.quiet);
    if (!m_common.quiet) {
        print_summary(m_common.json ? std::cerr : std::cout, summary);
    }
    return exit_code_for(summary);
}

} // namespace ultrastrength::cli
