#include "cli/command_analyze.hpp"

#include "cli/output.hpp"
#include "cli/scanning.hpp"
#include "converters/scan.hpp"
#include "model/text.hpp"
#include "model/time.hpp"
#include "pipeline/analyze_athlete.hpp"
#include "plan/analysis_json.hpp"
#include "plugins/report/analysis_report.hpp"
#include "plugins/writer.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace ultrastrength::cli {

namespace {

std::string hm(double seconds) {
    const auto s = static_cast<long long>(std::llround(seconds));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 3600, s / 60 % 60);
    return buf;
}

std::string day_text(std::int64_t day) {
    return format_date(civil_from_days(day));
}

std::string pace_text(double speed_mps) {
    const auto s = static_cast<long long>(std::llround(1000.0 / speed_mps));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld/km", s / 60, s % 60);
    return buf;
}

void print_text(std::ostream& out, const pipeline::AthleteAnalysis& a) {
    const History& h = a.history;
    const auto& ath = h.athlete;
    auto value_line = [&](const char* label, const AthleteValue& v, const std::string& shown) {
        out << "  " << label << shown
            << (v.estimated ? "  (estimated: " + v.how + ")" : "  (given)") << '\n';
    };
    out << "Athlete\n";
    value_line("HRmax      ", ath.hr_max, format_number("%.0f bpm", ath.hr_max.value.value_or(0)));
    value_line("HRrest     ", ath.hr_rest,
               format_number("%.0f bpm", ath.hr_rest.value.value_or(0)));
    value_line("LTHR       ", ath.lthr, format_number("%.0f bpm", ath.lthr.value.value_or(0)));
    value_line("threshold  ", ath.threshold_speed_mps,
               ath.threshold_speed_mps.value ? pace_text(*ath.threshold_speed_mps.value) : "-");
    out << '\n';

    char line[256];
    std::snprintf(line, sizeof line, "%-10s  %6s  %6s  %5s  %6s  %5s  %6s  %5s  %5s  %6s  %-10s\n",
                  "week", "km", "time", "D+", "eff-km", "load", "long", "CTL", "ATL", "form",
                  "phase");
    out << line;
    for (std::size_t i = 0; i < h.weeks.size(); ++i) {
        const Week& w = h.weeks[i];
        const WeekPhase& p = a.phases.weeks[i];
        std::string phase(to_string(p.phase));
        if (w.partial) {
            phase += " (partial)";
        }
        std::snprintf(line, sizeof line,
                      "%-10s  %6.1f  %6s  %5.0f  %6.1f  %5.0f  %6s  %5.1f  %5.1f  %+6.1f  %s\n",
                      day_text(w.start_day).c_str(), w.km, hm(w.time_h * 3600).c_str(), w.ascent_m,
                      w.effort_km, w.load, w.long_s > 0 ? hm(w.long_s).c_str() : "-", w.ctl, w.atl,
                      w.tsb, phase.c_str());
        out << line;
    }
    out << '\n';
    if (!a.detected.empty()) {
        out << "Races found in the history\n";
        for (const auto& d : a.detected) {
            const Session& s = h.sessions[d.session];
            out << "  " << day_text(d.day) << "  " << format_number("%.2f km", s.distance_m / 1000)
                << "  " << hm(s.moving_s) << "  " << (d.likely ? "race" : "possible race")
                << ", confidence " << format_number("%.0f %%", d.confidence * 100) << ": ";
            for (std::size_t i = 0; i < d.reasons.size(); ++i) {
                out << (i != 0 ? "; " : "") << d.reasons[i];
            }
            out << '\n';
        }
        out << '\n';
    }
    out << a.phases.explanation << '\n';
    for (const auto& n : h.notes) {
        out << "note: " << n << '\n';
    }
}

} // namespace

std::string CommandAnalyze::usage() const {
    return "ultrastrength analyze [OPTIONS] INPUT...";
}

std::string CommandAnalyze::details() const {
    return "Reads the inputs like 'scan', keeps running (and hikes/walks, flagged), scores each\n"
           "activity's training load (grade-adjusted pace, else heart rate, else RPE, else your\n"
           "own recent load per effort-km, else a default), and prints the weekly table\n"
           "(km, time, D+, effort-km = km + D+/100, load, longest run, fitness/fatigue/form,\n"
           "phase), the races found, and the current phase with the numbers and rule behind it.\n\n"
           "Settings not given (--hrmax, --hrrest, --lthr, --threshold-pace) are estimated from\n"
           "the history and reported as estimated. Dates are local: the offset stored in each\n"
           "file, else --tz (a fixed offset such as +01:00, -05:30 or UTC). Weeks start on "
           "Monday.\n\n"
           "--race DATE[,NAME[,KM[,D+]]] may be repeated; the first race on or after today (else\n"
           "the last one) drives the race-date schedule. Without --race, phases come from the\n"
           "weekly series and races are detected from the data; in hindsight a detected race\n"
           "places the weeks before it as --race would, where the series agrees (a much smaller\n"
           "race on the way to a bigger one is a tune-up and keeps the phase). The current\n"
           "week's phase never depends on data after it.\n\n"
           "--json prints one JSON document (schemas/analysis.schema.json). --report FILE.html\n"
           "writes a self-contained page with charts.\n\n"
           "Exit status: 0 all inputs read, 1 some rejected, 3 none readable.\n\n"
           "Examples:\n"
           "  ultrastrength analyze ~/exports/export_12345.zip --race "
           "2026-06-27,Lavaredo,120,5800\n"
           "  ultrastrength analyze activities/ --tz +01:00 --json > analysis.json\n";
}

void CommandAnalyze::add_options(po::options_description& options,
                                 po::positional_options_description& positional) {
    m_analysis.add(options, positional);
    options.add_options()("report", po::value(&m_report)->value_name("FILE.html"),
                          "write an HTML report");
    options.add(common_options(m_common));
}

void CommandAnalyze::apply(const po::variables_map& vm) {
    m_analysis.apply(vm);
}

int CommandAnalyze::run() {
    const ReaderRegistry& registry = default_readers();
    pipeline::AnalysisRequest request;
    request.inputs = m_analysis.inputs;
    request.races = m_analysis.races;
    request.utc_offset_s = m_analysis.offset_s;
    request.today = m_analysis.today_day;
    request.known_gaps = m_analysis.gaps;
    request.athlete = m_analysis.athlete;
    request.scan = [&](const std::vector<std::string>& inputs) {
        return scan_with_options(registry, inputs, m_common, std::cerr).outcomes;
    };
    const pipeline::AthleteAnalysis analysis = pipeline::analyze_athlete(request);
    const ScanSummary& summary = analysis.summary;

    if (m_common.json) {
        AnalysisDocument document;
        document.inputs = &analysis.inputs;
        document.summary = &analysis.summary;
        document.history = &analysis.history;
        document.detected = &analysis.detected;
        document.phases = &analysis.phases;
        document.races = &m_analysis.races;
        document.tz_offset_s = m_analysis.offset_s;
        auto doc = analysis_to_json(document);
        make_valid_utf8(doc); // names are bytes; JSON must be UTF-8
        const std::string out = doc.dump(1) + "\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else {
        // --quiet drops the summary, never the analysis asked for.
        print_text(std::cout, analysis);
    }
    if (!m_report.empty()) {
        // Through the atomic sink: a cron job killed mid-write never leaves a
        // half-written report where the previous one was.
        try {
            const std::filesystem::path report(m_report);
            FolderSink sink(report.has_parent_path() ? report.parent_path()
                                                     : std::filesystem::path("."));
            sink.put(report.filename().string(),
                     analysis_report_html({&analysis.history, &analysis.detected, &analysis.phases,
                                           &m_analysis.races}));
        } catch (const std::exception& e) {
            std::cerr << "ultrastrength analyze: cannot write the report '" << m_report
                      << "': " << e.what() << '\n';
            return exit_failed;
        }
    }
    print_problems(std::cerr, analysis.inputs, m_common.verbose, m_common.quiet);
    if (!m_common.quiet) {
        print_summary(std::cerr, summary);
    }
    if (analysis.history.sessions.empty() && summary.rejected == 0 && summary.read == 0) {
        return exit_failed;
    }
    return exit_code_for(summary);
}

} // namespace ultrastrength::cli
