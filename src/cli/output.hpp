// Human and machine output shared by the commands that read inputs.
#ifndef ULTRASTRENGTH_CLI_OUTPUT_HPP
#define ULTRASTRENGTH_CLI_OUTPUT_HPP

#include "converters/scan.hpp"

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace ultrastrength::cli {

/// The `scan --json` lines of one input: one per activity, or one with
/// `error`/`skipped` when it yields none.
std::vector<std::string> outcome_json_lines(const InputOutcome& outcome);

void print_activity_table(std::ostream& out, const std::vector<InputOutcome>& outcomes);
/// Rejected inputs always; skipped ones and warnings with `verbose`.
void print_problems(std::ostream& out, const std::vector<InputOutcome>& outcomes, bool verbose,
                    bool quiet);
void print_summary(std::ostream& out, const ScanSummary& summary);

} // namespace ultrastrength::cli

#endif
