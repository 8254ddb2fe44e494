// The coach's summary of a batch run: one line per roster row, as CSV and
// as a self-contained HTML page (inline CSS and SVG, no scripts, no links).
// Everything here is pure: bytes out, no clock, so an unchanged roster gives
// identical files.
#ifndef ULTRASTRENGTH_PLUGINS_REPORT_SUMMARY_REPORT_HPP
#define ULTRASTRENGTH_PLUGINS_REPORT_SUMMARY_REPORT_HPP

#include "model/plan.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// A roster row's outcome: planned, planned with some inputs rejected, or not planned.
enum class AthleteStatus : std::uint8_t { ok, partial, failed };
/// "ok", "partial" or "failed", as the summary and the state files write it.
std::string_view to_string(AthleteStatus status) noexcept;
/// The status named `text`; none for any other text (a damaged state file).
std::optional<AthleteStatus> athlete_status_from(std::string_view text) noexcept;

struct AthleteReport {
    std::string id;
    std::string name;
    std::size_t line = 0; ///< roster line
    AthleteStatus status = AthleteStatus::ok;
    std::string problem; ///< why failed, or which inputs were rejected
    std::string phase;   ///< current phase, empty when unknown
    std::string race;    ///< the A race, "2026-10-24 Three Fells 100K"
    /// Weekly running km of the last weeks, oldest first (the trend).
    std::vector<double> weekly_km;
    std::vector<std::string> flags; ///< "spike", "ramp>8", ... of the last 4 weeks
    std::size_t sessions = 0;       ///< planned strength sessions
    /// The athlete's files, relative to the batch folder. The summary lists
    /// them but not whether this run changed them: an unchanged roster must
    /// give an unchanged summary.
    std::vector<std::string> files;
    // What a coach looks at first (attention_of).
    std::string next_session;  ///< "Tue 2026-08-18: Late strength: … (27 min)"; empty: none
    int this_week_minutes = 0; ///< planned strength minutes, the plan's first calendar week
    int next_week_minutes = 0; ///< the week after
    std::string attention;     ///< "behind plan; load spike", empty when nothing stands out
    std::size_t created = 0;   ///< this run's writes (console and --json only)
    std::size_t updated = 0;
    std::size_t unchanged = 0;
};

/// The coach's first look at one athlete's plan: the next session, the
/// strength minutes of this (the plan's first calendar) week and the next,
/// and a note when the athlete is behind plan (the race schedule asks for a
/// later phase than the history supports), had a session spike or a fast
/// ramp in the flagged weeks (`flags`), or has a lighter week ahead. Pure:
/// the plan and the flags in, the report's fields out.
void attention_of(const Plan& plan, const std::vector<std::string>& flags, AthleteReport& report);

/// summary.csv (RFC 4180, CRLF).
std::string summary_csv(const std::vector<AthleteReport>& athletes);
/// summary.html.
std::string summary_html(const std::vector<AthleteReport>& athletes, const std::string& roster);
/// The weekly-km sparkline as an inline <svg> element.
std::string volume_svg(const std::vector<double>& weekly_km);

} // namespace ultrastrength

#endif
