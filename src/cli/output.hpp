// Human and machine output shared by the commands that read inputs.
#ifndef ULTRASTRENGTH_CLI_OUTPUT_HPP
#define ULTRASTRENGTH_CLI_OUTPUT_HPP

#include "converters/scan.hpp"

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace ultrastrength::cli {

struct ScanSummary {
    std::size_t inputs = 0;
    std::size_t read = 0;
    std::size_t skipped = 0;
    std::size_t rejected = 0;
    std::size_t merged = 0; ///< duplicates of an activity already listed
    std::size_t activities = 0;
};

ScanSummary summarize(const std::vector<InputOutcome>& outcomes);

/// The `scan --json` lines of one input: one per activity, or one with
/// `error`/`skipped` when it yields none.
std::vector<std::string> outcome_json_lines(const InputOutcome& outcome);

void print_activity_table(std::ostream& out, const std::vector<InputOutcome>& outcomes);
/// Rejected inputs always; skipped ones and warnings with `verbose`.
void print_problems(std::ostream& out, const std::vector<InputOutcome>& outcomes, bool verbose,
                    bool quiet);
void print_summary(std::ostream& out, const ScanSummary& summary);

/// 0 nothing rejected, 1 some rejected, 3 nothing readable at all.
int exit_code_for(const ScanSummary& summary);

} // namespace ultrastrength::cli

#endif
