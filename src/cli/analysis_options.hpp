// The options every command that analyses a history takes (`analyze`,
// `plan`): inputs, races, time zone, the analysis day, the athlete's heart
// rate and pace settings, days without data. One definition, so the commands
// spell, check and document them alike.
#ifndef ULTRASTRENGTH_CLI_ANALYSIS_OPTIONS_HPP
#define ULTRASTRENGTH_CLI_ANALYSIS_OPTIONS_HPP

#include "cli/command.hpp"
#include "history/history.hpp"
#include "model/plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength::cli {

struct AnalysisOptions {
    // As given.
    std::vector<std::string> inputs;
    std::vector<std::string> race_texts;
    std::string tz;
    std::string today;
    std::string threshold_pace;
    std::string sex;
    std::vector<std::string> gap_texts;

    // Checked and parsed by apply().
    std::optional<std::int32_t> offset_s;
    std::optional<std::int64_t> today_day;
    AthleteSettings athlete;
    std::vector<std::pair<std::int64_t, std::int64_t>> gaps;
    std::vector<Race> races;

    /// Adds INPUT (positional), --race, --tz, --today, --hrmax, --hrrest,
    /// --lthr, --threshold-pace, --sex and --no-data.
    void add(po::options_description& options, po::positional_options_description& positional);
    /// Checks and parses the values. Throws UsageError naming the option.
    void apply(const po::variables_map& vm);
};

/// Today's local date, the floor of a plan's start (analysis.md §4.7): the
/// environment's ULTRASTRENGTH_TODAY (YYYY-MM-DD, for reproducible runs and
/// tests) when set, else the system clock. Throws UsageError on a bad value.
std::int64_t clock_today();

/// "4:30" or "4:30/km" (min:s per km) -> m/s.
std::optional<double> parse_pace(std::string text);

} // namespace ultrastrength::cli

#endif
