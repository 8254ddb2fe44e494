#include "pipeline/plan_athlete.hpp"

#include "cli/version.hpp"
#include "converters/stream.hpp"
#include "history/races.hpp"
#include "history/recent_load.hpp"
#include "model/text.hpp"
#include "plan/library.hpp"
#include "plan/plan_json.hpp"
#include "plan/planner.hpp"
#include "plan/prescription.hpp"
#include "plan/sheet.hpp"
#include "plugins/ics/ics_writer.hpp"
#include "plugins/plan_html/plan_html.hpp"
#include "plugins/plan_text/plan_text.hpp"
#include "store/feature_cache.hpp"
#include "store/output_lock.hpp"
#include "store/run_state.hpp"

#include <nlohmann/json.hpp>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <limits>

namespace ultrastrength::pipeline {

namespace {

using Json = nlohmann::ordered_json;

/// Bumped when what goes into the fingerprint or the state file changes.
constexpr int state_version = 1;

template <typename T> Json optional_json(const std::optional<T>& value) {
    return value ? Json(*value) : Json();
}

std::string day_text(std::int64_t day) {
    return format_date(civil_from_days(day));
}

bool contains(const std::vector<int>& v, int x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

/// The A race's phase for the plan week starting on `week_start`: the race
/// week itself, else the analysis's race-date schedule (analysis.md §3.1) by
/// whole weeks to the race.
std::optional<Phase> plan_week_schedule(std::int64_t week_start, std::int64_t race_day,
                                        double effort_km, const PhaseSettings& ps) {
    const std::int64_t to_race = race_day - week_start;
    if (to_race < 0) {
        return std::nullopt;
    }
    const std::int64_t weeks = floor_div(to_race, 7);
    if (weeks == 0) {
        return Phase::race;
    }
    return race_schedule_phase(weeks, effort_km, ps);
}

PlanConfidence plan_confidence(Confidence c) {
    switch (c) {
    case Confidence::low:
        return PlanConfidence::low;
    case Confidence::medium:
        return PlanConfidence::medium;
    case Confidence::high:
        return PlanConfidence::high;
    }
    return PlanConfidence::low;
}

/// The most recent race before `start`: a named race or a detected likely one.
struct PastRace {
    std::int64_t day = 0;
    double effort_km = 0;
    std::string label;
};

std::optional<PastRace> last_race_before(std::int64_t start, const std::vector<Race>& races,
                                         const History& h,
                                         const std::vector<DetectedRace>& detected) {
    std::optional<PastRace> best;
    auto consider = [&](const PastRace& r) {
        if (r.day < start && (!best || r.day > best->day)) {
            best = r;
        }
    };
    for (const DetectedRace& d : detected) {
        if (d.likely) {
            const Session& s = h.sessions[d.session];
            consider({d.day, s.effort_km, "the race found on " + day_text(d.day)});
        }
    }
    for (const Race& r : races) {
        const std::int64_t day = days_from_civil(r.date);
        double effort = race_effort_km(r).value_or(0);
        for (const DetectedRace& d : detected) {
            if (d.day == day && effort == 0) {
                effort = h.sessions[d.session].effort_km;
            }
        }
        consider(
            {day, effort > 0 ? effort : 50.0,
             (r.name.empty() ? std::string("the race") : r.name) + " on " + format_date(r.date)});
    }
    return best;
}

std::string read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

PlanDocumentOptions document_options(const PlanRequest& request, const PlanOutcome& o) {
    return {request.write_options.weight_unit, request.verbose_text, o.phases.explanation};
}

/// The state's "quick" member: the inputs' stamps and what the run reports
/// of its inputs (the counts and each rejected input), so that a run that
/// stops at the stamps reports the same.
Json quick_record(const std::string& stamps, const PlanOutcome& outcome) {
    if (stamps.empty()) {
        return nullptr;
    }
    const ScanSummary& s = outcome.summary;
    Json rejected = Json::array();
    for (const InputOutcome& input : outcome.inputs) {
        if (input.kind == InputOutcome::Kind::rejected) {
            rejected.push_back({input.source, input.message});
        }
    }
    return Json{{"stamps", stamps},
                {"summary", {s.inputs, s.read, s.skipped, s.rejected, s.merged, s.activities}},
                {"rejected", std::move(rejected)}};
}

void write_files(const PlanRequest& request, const std::string& fingerprint,
                 const std::string& stamps, PlanOutcome& outcome) {
    const std::filesystem::path& out = *request.out_dir;
    OutputLock lock(out.string(), request.wait_for_lock);
    WriteOptions options = request.write_options;
    if (!options.today) {
        options.today = civil_from_days(outcome.history.today);
    }
    // The calendar carries SEQUENCE and stamps on from the folder's last run.
    const bool calendar =
        std::find(request.formats.begin(), request.formats.end(), "ics") != request.formats.end();
    if (calendar) {
        if (const auto text = stored_calendar_state(out)) {
            options.calendar_state = calendar_state_from_json(*text);
        }
    }
    // Writers are pure: the files are made in memory first, so the manifest
    // names them before any is written (plugins/writer.hpp
    // write_managed_folder): a run killed part way, or stopped by a full
    // disk, leaves nothing the next run does not know of and remove.
    MemorySink rendered;
    rendered.put("plan.json", outcome.plan_json);
    rendered.put("plan.txt", outcome.plan_text);
    rendered.put("plan.html", plan_html(outcome.plan, document_options(request, outcome)));
    for (const std::string& name : request.formats) {
        const Writer* writer = default_writers().find(name);
        writer->write(outcome.plan, options, rendered);
    }
    ManagedWrite done = write_managed_folder(out, rendered.files(), plan_manifest_name);
    std::set<std::string> written;
    for (const auto& entry : done.entries) {
        std::string name = std::filesystem::relative(entry.path, out).generic_string();
        written.insert(name);
        outcome.files.push_back({std::move(name), entry.outcome});
    }
    outcome.removed = std::move(done.removed);
    for (auto& warning : done.warnings) {
        outcome.warnings.push_back(std::move(warning));
    }
    for (const auto& note : rendered.notes()) {
        outcome.warnings.push_back(note.file + ": " + note.message);
        if (note.level == OutputSink::NoteLevel::action) {
            outcome.notices.push_back(note.file + ": " + note.message);
        }
    }
    FolderSink sink(out);
    // The state goes after the manifest: a run killed before it leaves the
    // previous state, whose fingerprint or file hashes no longer match.
    sink.put(plan_state_name,
             plan_state_text(out, fingerprint, written, outcome.warnings,
                             calendar
                                 ? calendar_state_to_json(ics_calendar_state(outcome.plan, options))
                                 : std::string(),
                             quick_record(stamps, outcome)));
}

} // namespace

const std::set<std::string>& default_equipment() {
    static const std::set<std::string> kit = {"band", "dumbbell"};
    return kit;
}

std::vector<std::string> all_format_names() {
    std::vector<std::string> out;
    for (const auto& w : default_writers().writers()) {
        out.emplace_back(w->name());
    }
    return out;
}

std::vector<std::string> unknown_formats(const std::vector<std::string>& formats) {
    std::vector<std::string> out;
    for (const auto& f : formats) {
        if (default_writers().find(f) == nullptr) {
            out.push_back(f);
        }
    }
    return out;
}

PlanContext make_plan_context(const PlanRequest& request, const History& h,
                              const PhaseResult& phases, const std::vector<DetectedRace>& detected,
                              const PatternEvidence& pattern, std::vector<std::string>& notes) {
    const PhaseSettings ps;
    PlanContext ctx;
    ctx.athlete_id = request.athlete_id.empty() ? std::string("athlete") : request.athlete_id;
    ctx.athlete_name = request.athlete_name;
    // §4.7 start: the later of the day after the last activity and today; a
    // history that stopped days ago does not start the plan in the past.
    // The last activity's day, not the analysis's end: with --today D the
    // history runs to D, and a plan for today starts on D.
    std::int64_t last_activity = h.today;
    if (!h.sessions.empty() || !h.strength.empty()) {
        last_activity = std::numeric_limits<std::int64_t>::min();
        for (const auto* list : {&h.sessions, &h.strength}) {
            for (const Session& s : *list) {
                last_activity = std::max(last_activity, s.local_day);
            }
        }
    }
    std::int64_t start = request.start ? days_from_civil(*request.start) : last_activity + 1;
    if (!request.start && request.clock_today && *request.clock_today > start) {
        ctx.start_note = "starts today, " + format_date(civil_from_days(*request.clock_today)) +
                         ", not the day after the last activity (" +
                         format_date(civil_from_days(last_activity)) +
                         "): record the runs since, or give --start";
        start = *request.clock_today;
    }
    ctx.start = civil_from_days(start);
    const std::int64_t monday = start - weekday_of(ctx.start); // plan weeks are calendar weeks

    // The A race: the first named race on or after the plan start.
    std::optional<Race> ahead;
    for (const Race& r : request.races) {
        const std::int64_t day = days_from_civil(r.date);
        if (day >= start && (!ahead || day < days_from_civil(ahead->date))) {
            ahead = r;
        }
    }
    if (request.weeks) {
        ctx.weeks = *request.weeks;
    } else if (ahead) {
        // Calendar weeks (Monday-Sunday) up to and including the race week.
        const std::int64_t days = days_from_civil(ahead->date) - monday + 1;
        ctx.weeks = static_cast<int>(std::clamp<std::int64_t>((days + 6) / 7, 1, 52));
    } else {
        ctx.weeks = 4;
    }
    if (ahead) {
        ctx.race = ahead;
        if (request.race_descent_m) {
            ctx.race_descent_m = request.race_descent_m;
        } else if (ahead->ascent_m) {
            ctx.race_descent_m = ahead->ascent_m;
            notes.push_back("race D- taken as its D+ (" + format_fixed(*ahead->ascent_m, 0) +
                            " m): start and finish at one altitude assumed");
        }
    }
    const auto past = last_race_before(start, request.races, h, detected);
    if (past) {
        ctx.last_race_date = civil_from_days(past->day);
        ctx.last_race_effort_km = past->effort_km;
    }

    // Load state at the end of the history (§1.4, §2.3, §3.2, §4.6).
    if (!h.days.empty()) {
        const Day& d = h.days.back();
        ctx.load.ctl = d.ctl;
        ctx.load.atl = d.atl;
        // §1.4 form for the day after the history (the default plan start),
        // by the analysis's own definition: analyze reports the same value
        // as "tomorrow".
        ctx.load.form_pct = 100 * form_fraction_on(h, d.day + 1).value_or(0);
        ctx.load.ramp_ctl_per_week = d.ramp;
    }
    const HistorySettings hs;
    ctx.load.spike_ratio_7d = spike_last_7_days(h, hs.spike_window_days);
    ctx.load.mean_daily_run_load = mean_daily_load(h, 21);
    if (!h.days.empty() && start > h.days.back().day + 1) {
        // Days between the history and a start moved to today: unrecorded, so
        // projected like the plan's own days (the last 3 weeks' running, §4.6).
        const std::int64_t gap = start - (h.days.back().day + 1);
        double ctl = ctx.load.ctl;
        double atl = ctx.load.atl;
        for (std::int64_t i = 0; i < gap; ++i) {
            ctl += (ctx.load.mean_daily_run_load - ctl) * (1 - std::exp(-1.0 / 42));
            atl += (ctx.load.mean_daily_run_load - atl) * (1 - std::exp(-1.0 / 7));
        }
        ctx.load.form_pct = ctl > 0 ? 100 * (ctl - atl) / ctl : 0;
        ctx.load.ctl = ctl;
        ctx.load.atl = atl;
        if (gap >= 7) {
            ctx.load.spike_ratio_7d = 0; // the recorded week is over before the plan starts
        }
        notes.push_back("the " + std::to_string(gap) +
                        " unrecorded days before the start projected at the last 3 weeks' "
                        "running (analysis.md §4.6)");
    }
    const WeekPhase* now = phases.weeks.empty() ? nullptr : &phases.weeks.back();
    const WeekPhase* last_complete = nullptr;
    for (std::size_t i = phases.weeks.size(); i-- > 0;) {
        if (!h.weeks[i].partial) {
            last_complete = &phases.weeks[i];
            break;
        }
    }
    const WeekPhase* features_week = last_complete != nullptr ? last_complete : now;
    ctx.load.volume_ratio = features_week != nullptr ? features_week->features.r.value_or(0) : 0;
    {
        double descent = 0;
        int n = 0;
        for (auto it = h.weeks.rbegin(); it != h.weeks.rend() && n < 4; ++it) {
            if (!it->partial) {
                descent += it->descent_m;
                ++n;
            }
        }
        ctx.recent_weekly_descent_m = n > 0 ? descent / n : 0;
    }
    {
        // §4.7 weekly budget and recorded routine: the last 4 complete weeks.
        double minutes = 0;
        double strength_load = 0;
        int n = 0;
        for (auto it = h.weeks.rbegin(); it != h.weeks.rend() && n < 4; ++it) {
            if (!it->partial) {
                minutes += 60 * it->time_h;
                strength_load += it->strength_load;
                ++n;
            }
        }
        ctx.mean_weekly_training_min = n > 0 ? minutes / n : 0;
        // The routine the 1.5x cap keeps to (§4.7) is the athlete's usual
        // training: weeks of a taper, a race or the recovery after it (when
        // lifting stops on purpose) do not count; up to 12 complete weeks back.
        double routine_load = 0;
        int routine_weeks = 0;
        int looked = 0;
        for (std::size_t i = h.weeks.size(); i-- > 0 && routine_weeks < 4 && looked < 12;) {
            if (h.weeks[i].partial) {
                continue;
            }
            ++looked;
            const Phase p = i < phases.weeks.size() ? phases.weeks[i].phase : Phase::early;
            if (p != Phase::taper && p != Phase::race && p != Phase::recovery) {
                routine_load += h.weeks[i].strength_load;
                ++routine_weeks;
            }
        }
        // Only taper, race and recovery weeks: the last 4 weeks as they are.
        ctx.recorded_strength.weekly_load_4w = routine_weeks > 0 ? routine_load / routine_weeks
                                               : n > 0           ? strength_load / n
                                                                 : 0;
        double strength_minutes = 0;
        double total_load = 0;
        for (const Session& s : h.strength) {
            strength_minutes += s.moving_s / 60;
            total_load += s.load;
        }
        ctx.recorded_strength.sessions = static_cast<int>(h.strength.size());
        ctx.recorded_strength.load_per_minute =
            strength_minutes > 0 ? total_load / strength_minutes : 0;
    }

    {
        // §4.7: the running rhythm. A complete week at most 80 % of the mean effort-km
        // of the 3 before it is a recovery week; when the last two were 3-5 weeks
        // apart, the rhythm goes on and the plan's lighter weeks go with it.
        std::vector<std::int64_t> recovery;
        for (std::size_t i = 3; i < h.weeks.size(); ++i) {
            const Week& w = h.weeks[i];
            const double before =
                (h.weeks[i - 1].effort_km + h.weeks[i - 2].effort_km + h.weeks[i - 3].effort_km) /
                3;
            if (!w.partial && before > 0 && w.effort_km <= 0.8 * before &&
                (recovery.empty() || w.start_day - recovery.back() > 7)) {
                recovery.push_back(w.start_day);
            }
        }
        if (recovery.size() >= 2) {
            const std::int64_t last = recovery.back();
            const std::int64_t period = (last - recovery[recovery.size() - 2]) / 7;
            if (period >= 3 && period <= 5 && last + 7 * 2 * period > monday) {
                for (std::int64_t next = last + 7 * period; next < monday + 7 * ctx.weeks;
                     next += 7 * period) {
                    if (next >= monday) {
                        ctx.running_recovery_weeks.push_back(static_cast<int>((next - monday) / 7));
                    }
                }
                notes.push_back(
                    "running rhythm: a recovery week every " + std::to_string(period) +
                    " weeks, the last in the week of " + format_date(civil_from_days(last)) +
                    "; lighter strength weeks go with the next ones (analysis.md §4.7)");
            }
        }
    }

    // The athlete's week, with the command line's overrides.
    ctx.pattern = pattern.pattern;
    {
        // §4.4: the weekdays the athlete lifted on in at least half of the last 6
        // weeks are kept where the rules allow.
        constexpr std::int64_t weeks_back = 6;
        std::array<int, 7> weeks_with{};
        std::set<std::int64_t> seen;
        for (const Session& s : h.strength) {
            if (s.local_day > h.today - 7 * weeks_back && s.local_day <= h.today &&
                seen.insert(s.local_day).second) {
                ++weeks_with[static_cast<std::size_t>(weekday_of(civil_from_days(s.local_day)))];
            }
        }
        for (int d = 0; d < 7; ++d) {
            if (2 * weeks_with[static_cast<std::size_t>(d)] >= weeks_back) {
                ctx.usual_strength_weekdays.push_back(d);
            }
        }
    }
    if (request.long_run_weekday) {
        ctx.pattern.long_run_weekday = *request.long_run_weekday;
        std::erase(ctx.pattern.hard_weekdays, *request.long_run_weekday);
        std::erase(ctx.pattern.rest_weekdays, *request.long_run_weekday);
    }
    if (!request.strength_weekdays.empty()) {
        ctx.pattern.strength_weekdays = request.strength_weekdays;
        std::sort(ctx.pattern.strength_weekdays.begin(), ctx.pattern.strength_weekdays.end());
        // Days the athlete offers for strength are not rest days.
        std::erase_if(ctx.pattern.rest_weekdays,
                      [&](int d) { return contains(request.strength_weekdays, d); });
    }
    ctx.equipment = request.equipment ? *request.equipment : default_equipment();
    // §4.7 new to strength: as given, else from the recorded strength sessions.
    const NewToStrength& fresh = builtin_prescriptions().new_to_strength;
    if (request.strength_history) {
        ctx.strength_history = *request.strength_history;
        ctx.strength_history_source = "given";
    } else {
        const auto n = static_cast<int>(h.strength.size());
        ctx.strength_history = n == 0                                 ? StrengthHistory::none
                               : n >= fresh.experienced_from_sessions ? StrengthHistory::experienced
                                                                      : StrengthHistory::some;
        ctx.strength_history_source = "inferred from " + std::to_string(n) +
                                      " recorded strength session" + (n == 1 ? "" : "s") +
                                      "; --strength-history none|some|experienced to set it";
    }
    ctx.level = request.level.value_or(
        ctx.strength_history == StrengthHistory::none ? Level::novice : Level::intermediate);
    // A runner new to strength (as given) has no strength days of their own to keep.
    if (ctx.strength_history == StrengthHistory::none) {
        ctx.usual_strength_weekdays.clear();
    }
    ctx.no_jumps = request.no_jumps;
    ctx.one_rep_max_kg = request.one_rep_max_kg;

    // Phases of the plan weeks.
    const Phase current = now != nullptr ? now->phase : Phase::early;
    // §3.1 behind plan compares the race's schedule with what the history itself
    // supports: the phase the series gives without the goal race (with it, the
    // schedule has relabelled the last weeks already, and nothing is ever behind).
    Phase supported = current;
    if (ahead && now != nullptr) {
        std::vector<Race> others;
        for (const Race& r : request.races) {
            if (days_from_civil(r.date) != days_from_civil(ahead->date) || r.name != ahead->name) {
                others.push_back(r);
            }
        }
        const PhaseResult series = classify_phases(h, others, detected);
        if (!series.weeks.empty()) {
            supported = series.weeks.back().phase;
        }
    }
    const PlanConfidence confidence =
        now != nullptr ? plan_confidence(now->confidence) : PlanConfidence::low;
    // Without a race ahead, a Taper or Race week of the history has nothing to
    // lead to: carry on the phase of the block before it.
    Phase carried = current;
    if (current == Phase::taper || current == Phase::race) {
        carried = Phase::early;
        for (std::size_t i = phases.weeks.size(); i-- > 0;) {
            const Phase p = phases.weeks[i].phase;
            if (p != Phase::taper && p != Phase::race && p != Phase::recovery) {
                carried = p;
                break;
            }
        }
    }
    const double ahead_effort = ahead ? race_effort_km(*ahead).value_or(50.0) : 0.0;
    for (int w = 0; w < ctx.weeks; ++w) {
        const std::int64_t ws = monday + 7 * static_cast<std::int64_t>(w);
        PlanWeekPhase wp{carried, confidence};
        std::optional<Phase> scheduled;
        if (ahead) {
            scheduled = plan_week_schedule(ws, days_from_civil(ahead->date), ahead_effort, ps);
        }
        // A race behind this week: Recovery for R days (§3.1), then the transition.
        std::optional<std::int64_t> behind_day;
        double behind_effort = 0;
        if (ahead && days_from_civil(ahead->date) < ws) {
            behind_day = days_from_civil(ahead->date);
            behind_effort = ahead_effort;
        } else if (past) {
            behind_day = past->day;
            behind_effort = past->effort_km;
        }
        if (scheduled) {
            wp.phase = *scheduled;
            // §3.1 behind plan: the race date asks for a later phase than the
            // history supports: Late or Taper at r below 0.5 (the analysis's
            // rule), or a whole build phase skipped (Early history, Late week).
            const auto order = [](Phase p) {
                switch (p) {
                case Phase::off_season:
                case Phase::recovery:
                    return 0;
                case Phase::early:
                    return 1;
                case Phase::mid:
                    return 2;
                case Phase::late:
                    return 3;
                case Phase::taper:
                case Phase::race:
                    return 4;
                }
                return 0;
            };
            const bool late_on_little = (wp.phase == Phase::late || wp.phase == Phase::taper) &&
                                        now != nullptr && ctx.load.volume_ratio < ps.behind_plan_r;
            const bool skipped = wp.phase != Phase::race && order(wp.phase) <= 3 &&
                                 order(wp.phase) >= order(supported) + 2;
            wp.behind_plan = late_on_little || skipped;
        } else if (behind_day && ws <= *behind_day + ps.recovery_days(behind_effort)) {
            wp.phase = Phase::recovery;
        } else if (behind_day && (current == Phase::recovery || current == Phase::race ||
                                  (ahead && days_from_civil(ahead->date) < ws))) {
            wp.phase = Phase::off_season; // Recovery -> transition (§3.3)
        }
        ctx.week_phases.push_back(wp);
    }
    if (std::any_of(ctx.week_phases.begin(), ctx.week_phases.end(),
                    [](const PlanWeekPhase& wp) { return wp.behind_plan; })) {
        notes.push_back("behind plan: the race date asks for a later phase than the history "
                        "supports (volume r = " +
                        format_fixed(ctx.load.volume_ratio, 2) + ", below " +
                        format_fixed(ps.behind_plan_r, 2) + " in Late, or a current " +
                        std::string(to_string(supported)) +
                        " phase a whole phase short); those weeks keep their phase's work at "
                        "the low end of its sets (analysis.md §3.1)");
    }
    if (ahead) {
        notes.push_back("phases of the plan weeks: backward from " +
                        (ahead->name.empty() ? std::string("the race") : ahead->name) + " on " +
                        format_date(ahead->date) + " (analysis.md §3.1)");
    } else {
        notes.push_back("phases of the plan weeks: no race ahead, the current phase (" +
                        std::string(to_string(current)) + ") carried on" +
                        (past && past->day + ps.recovery_days(past->effort_km) >= start
                             ? ", after the recovery from " + past->label
                             : std::string()) +
                        " (analysis.md §3.2)");
    }
    return ctx;
}

std::string run_fingerprint(const PlanRequest& r, const std::vector<InputOutcome>& inputs) {
    Json doc;
    doc["version"] = version;
    doc["features"] = FeatureCache::features_version;
    doc["state"] = state_version;
    doc["id"] = r.athlete_id;
    doc["name"] = r.athlete_name;
    Json races = Json::array();
    for (const Race& race : r.races) {
        races.push_back({format_date(race.date), race.name, optional_json(race.distance_km),
                         optional_json(race.ascent_m)});
    }
    doc["races"] = std::move(races);
    doc["race_descent"] = optional_json(r.race_descent_m);
    doc["tz"] = optional_json(r.utc_offset_s);
    doc["today"] = optional_json(r.today);
    doc["clock_today"] = optional_json(r.clock_today);
    doc["gaps"] = r.known_gaps;
    const AthleteSettings& a = r.athlete;
    doc["athlete"] = {optional_json(a.hr_max), optional_json(a.hr_rest), optional_json(a.lthr),
                      optional_json(a.threshold_speed_mps), static_cast<int>(a.sex)};
    doc["equipment"] = optional_json(r.equipment);
    doc["level"] = r.level ? Json(std::string(to_string(*r.level))) : Json();
    doc["strength_history"] =
        r.strength_history ? Json(std::string(to_string(*r.strength_history))) : Json();
    doc["no_jumps"] = r.no_jumps;
    doc["days"] = r.strength_weekdays;
    doc["long_run_day"] = optional_json(r.long_run_weekday);
    doc["weeks"] = optional_json(r.weeks);
    doc["start"] = r.start ? Json(format_date(*r.start)) : Json();
    doc["library"] =
        r.library ? Json{r.library->string(), hex64(hash_file(r.library->string()))} : Json();
    doc["1rm"] = r.one_rep_max_kg;
    doc["formats"] = r.formats;
    doc["weight_unit"] = static_cast<int>(r.write_options.weight_unit);
    doc["trainingpeaks_id"] = optional_json(r.write_options.trainingpeaks_athlete_id);
    doc["calendar"] = optional_json(r.write_options.calendar_name);
    doc["verbose_text"] = r.verbose_text;
    Json in = Json::array();
    for (const InputOutcome& o : inputs) {
        Json duplicates = Json::array();
        for (const auto& d : o.duplicates) {
            duplicates.push_back({hex64(d.activity.content_hash), d.duplicate_of});
        }
        in.push_back({o.source, static_cast<int>(o.kind), o.bytes, hex64(o.content_hash),
                      o.activities.size(), o.message, o.warnings, std::move(duplicates)});
    }
    doc["inputs"] = std::move(in);
    make_valid_utf8(doc);
    const std::string text = doc.dump();
    return hex64(XXH3_64bits(text.data(), text.size()));
}

namespace {

/// The options and the inputs as one pass of stat calls sees them (every
/// file's path, size and modification time, in scan order; the paths that do
/// not exist): what the quick check compares before anything is read. Empty
/// when it cannot be told.
std::string input_stamps(const PlanRequest& r) {
    try {
        std::string text = run_fingerprint(r, {});
        if (!append_input_stamps(r.inputs, text)) {
            return {};
        }
        return hex64(XXH3_64bits(text.data(), text.size()));
    } catch (const std::exception&) {
        return {};
    }
}

/// The outcome of a run that finds the folder as its last run left it, with
/// the same options and input stamps; nullopt when anything changed (or
/// cannot be told). Reads no input and opens no cache.
std::optional<PlanOutcome> quick_up_to_date_outcome(const PlanRequest& request,
                                                    const std::string& stamps) {
    const std::filesystem::path& out = *request.out_dir;
    try {
        OutputLock lock(out.string(), request.wait_for_lock);
        const auto state = matching_plan_state_by_stamps(out, stamps);
        if (!state) {
            return std::nullopt;
        }
        PlanOutcome o;
        const Json& counts = state->quick.at("summary");
        o.summary = {counts.at(0).get<std::size_t>(), counts.at(1).get<std::size_t>(),
                     counts.at(2).get<std::size_t>(), counts.at(3).get<std::size_t>(),
                     counts.at(4).get<std::size_t>(), counts.at(5).get<std::size_t>()};
        for (const Json& r : state->quick.at("rejected")) {
            InputOutcome input;
            input.kind = InputOutcome::Kind::rejected;
            input.source = r.at(0).get<std::string>();
            input.message = r.at(1).get<std::string>();
            o.inputs.push_back(std::move(input));
        }
        for (const std::string& name : state->files) {
            if (name != plan_manifest_name) {
                o.files.push_back({name, FolderSink::Outcome::unchanged});
            }
        }
        o.warnings = state->warnings;
        o.plan_json = read_whole(out / "plan.json");
        // plan.txt is printed only without --out: not read here.
        o.up_to_date = true;
        o.exit_code = exit_code_for(o.summary);
        return o;
    } catch (const std::exception&) {
        return std::nullopt; // A busy or unreadable folder, a malformed state: the full run.
    }
}

/// The outcome of a run that finds the folder as its last run left it, with
/// the same fingerprint; nullopt when anything changed (or cannot be told).
std::optional<PlanOutcome> up_to_date_outcome(const PlanRequest& request,
                                              const std::string& fingerprint,
                                              const std::string& stamps,
                                              std::vector<InputOutcome>& inputs) {
    const std::filesystem::path& out = *request.out_dir;
    std::error_code ec;
    if (!request.skip_when_up_to_date || fingerprint.empty() ||
        !std::filesystem::exists(out / plan_state_name, ec)) {
        return std::nullopt;
    }
    try {
        OutputLock lock(out.string(), request.wait_for_lock);
        const auto state = matching_plan_state(out, fingerprint);
        if (!state) {
            return std::nullopt;
        }
        PlanOutcome o;
        o.inputs = std::move(inputs);
        o.summary = summarize(o.inputs);
        for (const std::string& name : state->files) {
            if (name != plan_manifest_name) {
                o.files.push_back({name, FolderSink::Outcome::unchanged});
            }
        }
        o.warnings = state->warnings;
        o.plan_json = read_whole(out / "plan.json");
        o.plan_text = read_whole(out / "plan.txt");
        o.up_to_date = true;
        o.exit_code = exit_code_for(o.summary);
        // Same inputs by content, new stamps (a file touched or copied back):
        // stored, so that the next run stops at the stamps.
        if (!stamps.empty() &&
            (!state->quick.is_object() || state->quick.value("stamps", "") != stamps)) {
            try {
                restamp_plan_state(out, quick_record(stamps, o));
            } catch (const std::exception&) {
                // Not stored: the next run compares the inputs' content again.
            }
        }
        return o;
    } catch (const std::exception&) {
        return std::nullopt; // A busy or unreadable folder: the full run reports it.
    }
}

/// The plan from the analysis: weekly pattern, context, planner, plan.json
/// and plan.txt. Sets `error` when the planner cannot plan.
void plan_from_analysis(const PlanRequest& request, const ExerciseLibrary& library,
                        const std::vector<DetectedRace>& detected,
                        const std::vector<std::int64_t>& activity_days, PlanOutcome& o) {
    const PatternEvidence pattern = read_weekly_pattern(o.history, activity_days);
    std::vector<std::string> notes;
    try {
        o.context = make_plan_context(request, o.history, o.phases, detected, pattern, notes);
        std::vector<SessionTrace> trace;
        o.plan = build_plan(o.context, library, builtin_prescriptions(), &trace);
        fill_session_sheets(o.plan, library, builtin_prescriptions(), trace);
    } catch (const std::exception& e) {
        o.exit_code = exit_failed;
        o.error = std::string("cannot plan: ") + e.what();
        return;
    }
    for (const auto& n : pattern.notes) {
        o.plan.notes.push_back("weekly pattern: " + n);
    }
    for (const auto& n : notes) {
        o.plan.notes.push_back(n);
    }
    o.plan_json = plan_to_json(o.plan);
    o.plan_text = plan_text(o.plan, document_options(request, o));
}

} // namespace

PlanOutcome plan_athlete(const PlanRequest& request) {
    PlanOutcome o;
    if (const auto bad = unknown_formats(request.formats); !bad.empty()) {
        o.exit_code = exit_failed;
        o.error = "unknown format '" + bad.front() + "'";
        return o;
    }
    // The quick check: one stat of every input and the options against the
    // folder's state, before any input is read, the cache opened or the
    // exercise library loaded (a run with the same options loaded it fine).
    std::string stamps;
    if (request.out_dir) {
        stamps = input_stamps(request);
        std::error_code ec;
        if (request.skip_when_up_to_date && request.quick_check && !request.verbose_text &&
            !stamps.empty() && std::filesystem::exists(*request.out_dir / plan_state_name, ec)) {
            if (auto done = quick_up_to_date_outcome(request, stamps)) {
                return std::move(*done);
            }
        }
    }
    ExerciseLibrary library;
    try {
        library =
            request.library ? load_library(*request.library, builtin_library()) : builtin_library();
    } catch (const std::exception& e) {
        o.exit_code = exit_failed;
        o.error = e.what();
        return o;
    }
    // A one-rep max sets heavy loads only (analysis.md §4.3): an id the library
    // does not have, or of another group, would be ignored without a word.
    for (const auto& [id, kg] : request.one_rep_max_kg) {
        const Exercise* e = library.find(id);
        if (e == nullptr || e->group != ExerciseGroup::heavy) {
            std::string heavy;
            for (const Exercise& x : library.exercises()) {
                if (x.group == ExerciseGroup::heavy) {
                    heavy += (heavy.empty() ? "" : ", ") + x.id;
                }
            }
            o.exit_code = exit_usage;
            o.error = "--1rm '" + id + "': " +
                      (e == nullptr ? "no exercise with this id in the library"
                                    : "not a heavy exercise, so no load is set from a 1RM") +
                      "; heavy exercises: " + heavy;
            return o;
        }
    }

    std::vector<InputOutcome> inputs = scan_athlete(request);

    // Nothing changed since the folder's last run: done.
    std::string fingerprint;
    if (request.out_dir) {
        try {
            fingerprint = run_fingerprint(request, inputs);
        } catch (const std::exception&) {
            // No fingerprint: plan in full, and store none that could match.
        }
        if (auto done = up_to_date_outcome(request, fingerprint, stamps, inputs)) {
            return std::move(*done);
        }
    }

    AthleteAnalysis analysis = analyze_scanned(request, std::move(inputs));
    o.inputs = std::move(analysis.inputs);
    o.summary = analysis.summary;
    o.history = std::move(analysis.history);
    if (o.history.sessions.empty()) {
        o.exit_code = exit_failed;
        o.error = "no running activities in the inputs: a plan needs the training history";
        return o;
    }
    o.phases = std::move(analysis.phases);
    if (!o.phases.weeks.empty()) {
        o.current_phase = o.phases.weeks.back().phase;
    }
    for (const auto& note : o.history.notes) {
        o.warnings.push_back(note);
    }

    plan_from_analysis(request, library, analysis.detected, analysis.activity_days, o);
    if (!o.error.empty()) {
        return o;
    }

    if (request.out_dir) {
        try {
            write_files(request, fingerprint, stamps, o);
        } catch (const std::exception& e) {
            o.exit_code = exit_failed;
            o.error = e.what();
            return o;
        }
    }
    o.exit_code = exit_code_for(o.summary);
    return o;
}

} // namespace ultrastrength::pipeline
