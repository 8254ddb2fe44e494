#include "cli/command_plan.hpp"

#include "cli/output.hpp"
#include "cli/scanning.hpp"
#include "model/text.hpp"
#include "plan/context.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>

namespace ultrastrength::cli {

namespace {

/// An option's comma-separated names, lower-cased: "Band, DUMBBELL" -> {"band", "dumbbell"}.
std::vector<std::string> name_list(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return split_list(text, ',');
}

/// A stable id from the first input: its file or folder name without
/// extensions, lower case, letters, digits and '-' only.
std::string id_from_input(const std::string& input) {
    std::filesystem::path p(input);
    std::string name = p.filename().string();
    if (name.empty() || name == ".") {
        name = p.parent_path().filename().string();
    }
    name = name.substr(0, name.find('.'));
    std::string id;
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0) {
            id += static_cast<char>(std::tolower(u));
        } else if (!id.empty() && id.back() != '-') {
            id += '-';
        }
    }
    while (!id.empty() && id.back() == '-') {
        id.pop_back();
    }
    return id.empty() ? std::string("athlete") : id;
}

int whole_number(const std::string& option, const std::string& text, int low, int high) {
    int value = 0;
    bool ok = !text.empty() && text.size() <= 6;
    for (const char c : text) {
        ok = ok && c >= '0' && c <= '9';
        if (ok) {
            value = value * 10 + (c - '0');
        }
    }
    if (!ok || value < low || value > high) {
        throw UsageError("--" + option + " '" + text + "': expected a whole number from " +
                         std::to_string(low) + " to " + std::to_string(high));
    }
    return value;
}

/// A positive 64-bit id (TrainingPeaks athlete ids run past a million).
std::int64_t positive_id(const std::string& option, const std::string& text) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || text.front() == '-' || text.front() == '+' || ec != std::errc() ||
        ptr != end || value < 1) {
        throw UsageError("--" + option + " '" + text + "': expected a whole number from 1 to " +
                         std::to_string(std::numeric_limits<std::int64_t>::max()));
    }
    return value;
}

double positive_number(const std::string& option, const std::string& text) {
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && v > 0 && v < 1e6) {
            return v;
        }
    } catch (const std::exception&) {
    }
    throw UsageError("--" + option + " '" + text + "': expected a positive number");
}

} // namespace

std::string CommandPlan::usage() const {
    return "ultrastrength plan [OPTIONS] INPUT... [--out DIR] [--format NAME,...]";
}

namespace {

/// Every output format and what it holds, from the writer registry.
std::string writer_list() {
    std::vector<std::pair<std::string, std::string>> items;
    for (const auto& writer : default_writers().writers()) {
        items.emplace_back(writer->name(), writer->description());
    }
    return definition_list(items);
}

} // namespace

std::string CommandPlan::details() const {
    return "Reads the inputs and analyses them like 'analyze' (same options), then plans\n"
           "periodized strength sessions for the coming weeks (analysis.md §4): heavy,\n"
           "plyometric, corrective and downhill-eccentric work by phase, scaled to the running\n"
           "load (fitness/fatigue, spikes, ramp), placed around your long run and hard days,\n"
           "with the last heavy session at least 10 days and nothing in the 48 h before a race.\n"
           "Every session says why: its phase, the rule that set its volume, its minutes and "
           "load.\n\n"
           "Your week is read from the last 6 complete weeks of the history (long-run day, hard\n"
           "days, rest days); --long-run-day and --days override it. The plan starts the day "
           "after\n"
           "the last activity, or today when that is later (--start; ULTRASTRENGTH_TODAY fixes\n"
           "today for reproducible runs), and runs up to the first --race on or after the start,\n"
           "else 4 weeks (--weeks). Plan weeks take their phase backward from that race (§3.1),\n"
           "else the current phase carries on.\n\n"
           "Without --out the readable summary is printed (--json: the plan as JSON,\n"
           "schemas/plan.schema.json). With --out DIR it writes DIR/plan.json, DIR/plan.txt and\n"
           "one folder per format (default: all of them):\n" +
           writer_list() +
           "Files are written atomically and only when their bytes change; the same inputs give\n"
           "byte-identical files. DIR/.ultrastrength-files lists them; the next run removes the\n"
           "files the last run wrote and it does not: sessions no longer planned, and every\n"
           "file of a format left out of --format. Files it did not write are never touched,\n"
           "and nothing on a watch or in a calendar is removed. When the inputs and\n"
           "options are those of the last run and its files are still as written, the plan is\n"
           "up to date: nothing is analysed or written. Another run writing DIR\n"
           "makes this one stop with a message (--wait: wait for it instead).\n\n"
           "--equipment lists what you have: none (body weight), band, dumbbell (or kettlebell),\n"
           "barbell, box, gym; default band,dumbbell. --days lists the weekdays strength may go\n"
           "on (mon,wed,fri). --library FILE adds or replaces exercises\n"
           "(schemas/exercise-library.schema.json).\n\n"
           "Exit status: 0 planned and written, 1 planned with some inputs rejected (listed on\n"
           "stderr), 2 usage error, 3 nothing could be planned or written.\n\n"
           "Examples:\n"
           "  ultrastrength plan ~/exports/export_12345.zip --race 2026-09-26,Alpenglow,50,2500 "
           "\\\n"
           "      --format garmin-fit,ics --out ~/plan\n"
           "  ultrastrength plan activities/ --equipment band --level novice --days tue,thu,sat\n"
           "  ultrastrength plan activities/ --json > plan.json\n";
}

namespace {

/// "garmin-fit, garmin-connect, ... (default: all)", from the writer registry.
std::string format_list_help() {
    std::string names;
    for (const auto& name : pipeline::all_format_names()) {
        names += (names.empty() ? "" : ", ") + name;
    }
    return names + " (default: all)";
}

} // namespace

void CommandPlan::add_options(po::options_description& options,
                              po::positional_options_description& positional) {
    m_analysis.add(options, positional);
    po::options_description plan("Plan options");
    plan.add_options()("out,o", po::value(&m_out)->value_name("DIR"),
                       "write the plan and its files here")(
        "format,f", po::value(&m_formats)->value_name("NAME,..."), format_list_help().c_str())(
        "weeks", po::value(&m_weeks)->value_name("N"),
        "plan N weeks, 1-52, whatever the race (default: up to race day, else 4)")(
        "start", po::value(&m_start)->value_name("DATE"),
        "first plan day (default: the later of the day after the last activity and "
        "today)")("equipment", po::value(&m_equipment)->value_name("LIST"),
                  "none, band, dumbbell, barbell, box, gym (default: band,dumbbell)")(
        "level", po::value(&m_level)->value_name("LEVEL"),
        "novice, intermediate or advanced (default: novice when new to strength, else "
        "intermediate)")(
        "strength-history", po::value(&m_strength_history)->value_name("HISTORY"),
        "none, some or experienced (default: from the recorded strength sessions); none: an "
        "introductory block first")("no-jumps", po::bool_switch(&m_no_jumps),
                                    "no plyometrics (an Achilles or bone-stress history)")(
        "days", po::value(&m_days)->value_name("LIST"),
        "weekdays strength may go on, e.g. mon,wed,fri (default: any but rest days)")(
        "long-run-day", po::value(&m_long_run_day)->value_name("DAY"),
        "weekday of your long run (default: read from the history)")(
        "race-descent", po::value(&m_race_descent)->value_name("M"),
        "the goal race's D- in m (default: its D+)")(
        "library", po::value(&m_library)->value_name("FILE"),
        "exercise library JSON merged over the built-in one")(
        "1rm", po::value(&m_one_rep_max)->value_name("EXERCISE=KG")->composing(),
        "a known one-rep max, e.g. trap_bar_deadlift=120 (repeatable)")(
        "id", po::value(&m_id)->value_name("ID"),
        "athlete id in file names and calendar UIDs (default: from the first input)")(
        "name", po::value(&m_name)->value_name("NAME"), "athlete name shown in the files")(
        "weight-unit", po::value(&m_weight_unit)->value_name("kg|lb"),
        "unit loads are shown in (default kg)")(
        "trainingpeaks-athlete-id", po::value(&m_trainingpeaks_id)->value_name("N"),
        "your TrainingPeaks athlete id, for the planned-workout JSON")(
        "wait", po::bool_switch(&m_wait), "wait for another run writing DIR to finish");
    options.add(plan);
    options.add(common_options(m_common));
}

void CommandPlan::apply(const po::variables_map& vm) {
    m_analysis.apply(vm);
    pipeline::PlanRequest& r = m_request;
    r.inputs = m_analysis.inputs;
    r.races = m_analysis.races;
    r.utc_offset_s = m_analysis.offset_s;
    r.today = m_analysis.today_day;
    r.clock_today = m_analysis.today_day ? *m_analysis.today_day : clock_today();
    r.known_gaps = m_analysis.gaps;
    r.athlete = m_analysis.athlete;
    r.jobs = m_common.jobs;
    r.athlete_id = m_id.empty() ? id_from_input(r.inputs.front()) : m_id;
    r.athlete_name = m_name;

    r.formats = m_formats.empty() ? pipeline::all_format_names() : name_list(m_formats);
    if (const auto bad = pipeline::unknown_formats(r.formats); !bad.empty()) {
        std::string all;
        for (const auto& n : pipeline::all_format_names()) {
            all += (all.empty() ? "" : ", ") + n;
        }
        throw UsageError("--format '" + bad.front() + "': expected one of " + all);
    }
    if (!m_out.empty()) {
        r.out_dir = std::filesystem::path(m_out);
    }
    if (!m_weeks.empty()) {
        r.weeks = whole_number("weeks", m_weeks, 1, 52);
    }
    if (!m_start.empty()) {
        const auto date = parse_date(m_start);
        if (!date) {
            throw UsageError("--start '" + m_start + "': expected YYYY-MM-DD");
        }
        r.start = *date;
    }
    if (!m_equipment.empty()) {
        std::set<std::string> kit;
        for (auto item : name_list(m_equipment)) {
            if (item == "kettlebell" || item == "dumbbells") {
                item = "dumbbell";
            }
            if (!is_equipment_name(item)) {
                throw UsageError("--equipment '" + item +
                                 "': expected none, band, dumbbell, barbell, box or gym");
            }
            if (item != "none") {
                kit.insert(item);
            }
        }
        r.equipment = kit;
    }
    if (!m_level.empty()) {
        r.level = level_from_string(m_level);
        if (!r.level) {
            throw UsageError("--level '" + m_level +
                             "': expected novice, intermediate or advanced");
        }
    }
    if (!m_strength_history.empty()) {
        r.strength_history = strength_history_from_string(m_strength_history);
        if (!r.strength_history) {
            throw UsageError("--strength-history '" + m_strength_history +
                             "': expected none, some or experienced");
        }
    }
    r.no_jumps = m_no_jumps;
    if (!m_days.empty()) {
        for (const auto& item : name_list(m_days)) {
            const auto day = weekday_from_string(item);
            if (!day) {
                throw UsageError("--days '" + item + "': expected weekdays like mon,wed,fri");
            }
            r.strength_weekdays.push_back(*day);
        }
    }
    if (!m_long_run_day.empty()) {
        r.long_run_weekday = weekday_from_string(m_long_run_day);
        if (!r.long_run_weekday) {
            throw UsageError("--long-run-day '" + m_long_run_day +
                             "': expected a weekday like sun");
        }
    }
    if (!m_race_descent.empty()) {
        r.race_descent_m = positive_number("race-descent", m_race_descent);
    }
    if (!m_library.empty()) {
        r.library = std::filesystem::path(m_library);
    }
    for (const auto& text : m_one_rep_max) {
        const auto eq = text.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw UsageError("--1rm '" + text + "': expected EXERCISE=KG");
        }
        r.one_rep_max_kg[text.substr(0, eq)] = positive_number("1rm", text.substr(eq + 1));
    }
    if (!m_weight_unit.empty()) {
        if (m_weight_unit == "kg") {
            r.write_options.weight_unit = WeightUnit::kilogram;
        } else if (m_weight_unit == "lb") {
            r.write_options.weight_unit = WeightUnit::pound;
        } else {
            throw UsageError("--weight-unit '" + m_weight_unit + "': expected kg or lb");
        }
    }
    if (!m_trainingpeaks_id.empty()) {
        r.write_options.trainingpeaks_athlete_id =
            positive_id("trainingpeaks-athlete-id", m_trainingpeaks_id);
    }
    r.wait_for_lock = m_wait;
    r.verbose_text = m_common.verbose;
}

int CommandPlan::run() {
    const ReaderRegistry& registry = default_readers();
    m_request.scan = [&](const std::vector<std::string>& inputs) {
        return scan_with_options(registry, inputs, m_common, std::cerr).outcomes;
    };
    const pipeline::PlanOutcome o = pipeline::plan_athlete(m_request);
    print_problems(std::cerr, o.inputs, m_common.verbose, m_common.quiet);
    if (!o.error.empty()) {
        std::cerr << "ultrastrength plan: " << o.error << '\n';
        return o.exit_code;
    }
    if (m_common.json) {
        std::fwrite(o.plan_json.data(), 1, o.plan_json.size(), stdout);
    } else if (!m_request.out_dir) {
        // --quiet drops the summary, never the plan asked for.
        std::fwrite(o.plan_text.data(), 1, o.plan_text.size(), stdout);
    }
    if (!m_common.quiet && !m_common.verbose) {
        for (const auto& notice : o.notices) {
            std::cerr << "note: " << notice << '\n';
        }
    }
    if (m_common.verbose) {
        for (const auto& w : o.warnings) {
            std::cerr << "note: " << w << '\n';
        }
        for (const auto& name : o.removed) {
            std::cerr << "removed (no longer planned): " << name << '\n';
        }
    }
    if (o.up_to_date) {
        if (!m_common.quiet) {
            print_summary(std::cerr, o.summary);
            std::cerr << "plan up to date: inputs and options unchanged since the last run; "
                      << o.files.size() << " files in " << m_request.out_dir->string()
                      << " unchanged\n";
        }
        return o.exit_code;
    }
    if (!m_common.quiet) {
        print_summary(std::cerr, o.summary);
        std::size_t created = 0;
        std::size_t updated = 0;
        for (const auto& f : o.files) {
            created += f.status == FolderSink::Outcome::created ? 1 : 0;
            updated += f.status == FolderSink::Outcome::updated ? 1 : 0;
        }
        std::cerr << o.plan.sessions.size() << " sessions over " << o.plan.weeks << " weeks from "
                  << format_date(o.plan.start);
        if (o.current_phase) {
            std::cerr << ", phase now: " << to_string(*o.current_phase);
        }
        std::cerr << '\n';
        if (m_request.out_dir) {
            std::cerr << o.files.size() << " files in " << m_request.out_dir->string() << ": "
                      << created << " created, " << updated << " updated, "
                      << (o.files.size() - created - updated) << " unchanged";
            if (!o.removed.empty()) {
                std::cerr << ", " << o.removed.size() << " of the previous plan removed";
            }
            std::cerr << '\n';
        }
    }
    return o.exit_code;
}

} // namespace ultrastrength::cli
