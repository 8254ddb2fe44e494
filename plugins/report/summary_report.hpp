// The coach's summary of a batch run: one line per roster row, as CSV and
// as a self-contained HTML page (inline CSS and SVG, no scripts, no links).
// Everything here is pure: bytes out, no clock, so an unchanged roster gives
// identical files.
#ifndef ULTRASTRENGTH_PLUGINS_REPORT_SUMMARY_REPORT_HPP
#define ULTRASTRENGTH_PLUGINS_REPORT_SUMMARY_REPORT_HPP

#include <cstddef>
#include <string>
#include <vector>

namespace ultrastrength {

struct AthleteReport {
    std::string id;
    std::string name;
    std::size_t line = 0; ///< roster line
    std::string status;   ///< "ok", "partial" (some inputs rejected), "failed"
    std::string problem;  ///< why failed, or which inputs were rejected
    std::string phase;    ///< current phase, empty when unknown
    std::string race;     ///< the A race, "2026-10-24 Three Fells 100K"
    /// Weekly running km of the last weeks, oldest first (the trend).
    std::vector<double> weekly_km;
    std::vector<std::string> flags; ///< "spike", "ramp>8", ... of the last 4 weeks
    std::size_t sessions = 0;       ///< planned strength sessions
    /// The athlete's files, relative to the batch folder. The summary lists
    /// them but not whether this run changed them: an unchanged roster must
    /// give an unchanged summary.
    std::vector<std::string> files;
    std::size_t created = 0; ///< this run's writes (console and --json only)
    std::size_t updated = 0;
    std::size_t unchanged = 0;
};

/// summary.csv (RFC 4180, CRLF).
std::string summary_csv(const std::vector<AthleteReport>& athletes);
/// summary.html.
std::string summary_html(const std::vector<AthleteReport>& athletes, const std::string& roster);
/// The weekly-km sparkline as an inline <svg> element.
std::string volume_svg(const std::vector<double>& weekly_km);

} // namespace ultrastrength

#endif
