#include "cli/output.hpp"

#include "cli/command.hpp"
#include "converters/reader.hpp"
#include "model/text.hpp"
#include "model/time.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <ostream>

namespace ultrastrength::cli {

namespace {

using json = nlohmann::ordered_json;

/// Rounds to a fixed number of decimals so that output does not depend on
/// the last bits of a floating-point sum.
json number(const std::optional<double>& value, int decimals) {
    if (!value || !std::isfinite(*value)) {
        return nullptr;
    }
    const double scale = std::pow(10.0, decimals);
    return std::round(*value * scale) / scale;
}

json activity_json(const ActivityFeatures& a) {
    json j;
    j["source"] = a.source;
    j["format"] = format_name(a.format);
    j["sport"] = to_string(a.sport);
    j["sub_sport"] = a.sub_sport.empty() ? json(nullptr) : json(a.sub_sport);
    j["start"] = a.start_utc ? json(format_utc(*a.start_utc)) : json(nullptr);
    j["utc_offset_s"] = a.utc_offset_s ? json(*a.utc_offset_s) : json(nullptr);
    j["elapsed_s"] = number(a.elapsed_s, 3);
    j["timer_s"] = number(a.timer_s, 3);
    j["moving_s"] = number(a.moving_s, 3);
    j["distance_m"] = number(a.distance_m, 2);
    j["ascent_m"] = number(a.ascent_m, 1);
    j["descent_m"] = number(a.descent_m, 1);
    j["avg_hr"] = number(a.avg_hr, 1);
    j["max_hr"] = number(a.max_hr, 1);
    j["records"] = a.records;
    j["flags"] = json::array();
    for (const auto name : flag_names(a.flags)) {
        j["flags"].push_back(name);
    }
    return j;
}

std::string fixed(const std::optional<double>& value, int decimals, double scale = 1.0) {
    if (!value) {
        return "-";
    }
    return format_fixed(*value * scale, decimals);
}

std::string duration(const std::optional<double>& seconds) {
    if (!seconds) {
        return "-";
    }
    const auto s = static_cast<long long>(std::llround(*seconds));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

} // namespace

std::vector<std::string> outcome_json_lines(const InputOutcome& outcome) {
    std::vector<std::string> lines;
    for (const auto& activity : outcome.activities) {
        json j = activity_json(activity);
        make_valid_utf8(j); // names are bytes; JSON must be UTF-8
        lines.push_back(j.dump());
    }
    for (const auto& duplicate : outcome.duplicates) {
        json j;
        j["source"] = duplicate.activity.source;
        j["duplicate_of"] = duplicate.duplicate_of;
        make_valid_utf8(j);
        lines.push_back(j.dump());
    }
    if (outcome.activities.empty() && outcome.duplicates.empty()) {
        json j;
        j["source"] = outcome.source;
        j[outcome.kind == InputOutcome::Kind::rejected ? "error" : "skipped"] = outcome.message;
        make_valid_utf8(j);
        lines.push_back(j.dump());
    }
    return lines;
}

void print_activity_table(std::ostream& out, const std::vector<InputOutcome>& outcomes) {
    char line[512];
    std::snprintf(line, sizeof line, "%-20s  %-17s  %9s  %9s  %7s  %5s  %-5s  %s\n", "start (UTC)",
                  "sport", "time", "km", "D+ m", "HR", "fmt", "source");
    out << line;
    for (const auto& o : outcomes) {
        for (const auto& a : o.activities) {
            std::string source = printable(a.source);
            const auto flags = flag_names(a.flags);
            if (!flags.empty()) {
                source += "  [";
                for (std::size_t i = 0; i < flags.size(); ++i) {
                    source += (i != 0 ? "," : "");
                    source += flags[i];
                }
                source += "]";
            }
            std::snprintf(line, sizeof line, "%-20s  %-17s  %9s  %9s  %7s  %5s  %-5s  %s\n",
                          a.start_utc ? format_utc(*a.start_utc).c_str() : "-",
                          std::string(to_string(a.sport)).c_str(),
                          duration(a.timer_s ? a.timer_s : a.elapsed_s).c_str(),
                          fixed(a.distance_m, 2, 0.001).c_str(), fixed(a.ascent_m, 0).c_str(),
                          fixed(a.avg_hr, 0).c_str(), std::string(format_name(a.format)).c_str(),
                          source.c_str());
            out << line;
        }
    }
}

void print_problems(std::ostream& out, const std::vector<InputOutcome>& outcomes, bool verbose,
                    bool quiet) {
    for (const auto& o : outcomes) {
        if (o.kind == InputOutcome::Kind::rejected) {
            // ReadError messages already start with the source.
            if (o.message.rfind(o.source, 0) == 0) {
                out << "rejected: " << printable(o.message) << '\n';
            } else {
                out << "rejected: " << printable(o.source) << ": " << printable(o.message) << '\n';
            }
        } else if (verbose && !quiet && o.kind == InputOutcome::Kind::skipped) {
            out << "skipped: " << printable(o.source) << ": " << printable(o.message) << '\n';
        }
        if (verbose && !quiet) {
            for (const auto& d : o.duplicates) {
                out << "duplicate: " << printable(d.activity.source) << ": same activity as "
                    << printable(d.duplicate_of) << '\n';
            }
        }
        if (verbose && !quiet) {
            for (const auto& w : o.warnings) {
                out << "warning: " << printable(o.source) << ": " << printable(w) << '\n';
            }
        }
    }
}

void print_summary(std::ostream& out, const ScanSummary& s) {
    out << s.inputs << " inputs: " << s.read << " read (" << s.activities << " activities), "
        << s.skipped << " skipped, " << s.rejected << " rejected, " << s.merged
        << " merged as duplicates\n";
}

} // namespace ultrastrength::cli
