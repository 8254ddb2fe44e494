#include "plugins/trainingpeaks/trainingpeaks_writer.hpp"

#include "plugins/prescription.hpp"
#include "plugins/workout_names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace ultrastrength {

namespace {

using Json = nlohmann::ordered_json;

/// The Partner API plans workouts from 7 days before the day of the request
/// to one year after it, and refuses other days (PartnersAPI wiki, "Workouts
/// Create"; output-formats.md §3.1).
constexpr std::int64_t window_past_days = 7;
constexpr std::int64_t window_ahead_days = 365;

/// POST /v2/workouts/plan body (TrainingPeaks PartnersAPI wiki, "Workouts Create"):
/// every field the API requires (AthleteId, WorkoutDay, WorkoutType) and the
/// optional ones a strength session fills.
Json planned_workout(const Plan& plan, const PlanSession& session, std::int64_t athlete_id,
                     const std::string& title, WeightUnit unit) {
    Json out;
    out["AthleteId"] = athlete_id;
    out["WorkoutDay"] = format_date(session.date);
    out["WorkoutType"] = "strength";
    out["Title"] = title;
    if (session.estimated_minutes > 0) {
        // Decimal hours; two decimals are finer than the minutes we plan in.
        out["TotalTimePlanned"] = std::round(session.estimated_minutes / 60.0 * 100.0) / 100.0;
    }
    if (session.estimated_load > 0) {
        out["TSSPlanned"] = std::round(session.estimated_load * 10.0) / 10.0;
    }
    // TrainingPeaks renders line breaks and Unicode, not Markdown or HTML (§3.2).
    out["Description"] = detail::prescription_text(plan, session, unit);
    Json tags = Json::array({"strength", std::string(to_string(session.phase))});
    if (const auto kind = detail::slug(session.kind, 40);
        !kind.empty() && kind != "strength" && kind != to_string(session.phase)) {
        tags.push_back(kind);
    }
    out["Tags"] = std::move(tags);
    return out;
}

/// The day the window is counted from: the day the plan is made.
std::int64_t reference_day(const Plan& plan, const WriteOptions& options) {
    return options.today ? days_from_civil(*options.today) : days_from_civil(plan.start) - 1;
}

bool in_window(const PlanSession& session, std::int64_t today) {
    const std::int64_t day = days_from_civil(session.date);
    return day >= today - window_past_days && day <= today + window_ahead_days;
}

class TrainingPeaksWriter final : public Writer {
public:
    std::string_view name() const noexcept override { return "trainingpeaks"; }
    std::string_view description() const noexcept override {
        return "TrainingPeaks planned workout JSON per session (Partner API, WorkoutType strength) "
               "and the prescription as plain text";
    }
    std::string_view extension() const noexcept override { return ".json"; }

    void write(const Plan& plan, const WriteOptions& options, OutputSink& sink) const override {
        const auto stems = detail::session_file_stems(plan);
        const auto names = detail::workout_names(plan);
        const std::int64_t today = reference_day(plan, options);
        std::string outside;
        std::size_t outside_count = 0;
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            sink.put("trainingpeaks/" + stems[i] + ".txt",
                     detail::prescription_text(plan, session, options.weight_unit));
            if (!options.trainingpeaks_athlete_id) {
                continue;
            }
            if (!in_window(session, today)) {
                outside += (outside_count++ == 0 ? "" : ", ") + format_date(session.date);
                continue;
            }
            sink.put("trainingpeaks/" + stems[i] + ".json",
                     planned_workout(plan, session, *options.trainingpeaks_athlete_id,
                                     names[i].full, options.weight_unit)
                             .dump(2) +
                         '\n');
        }
        if (plan.sessions.empty()) {
            return;
        }
        if (!options.trainingpeaks_athlete_id) {
            sink.note("trainingpeaks",
                      "no TrainingPeaks JSON written: the Partner API needs the athlete's "
                      "TrainingPeaks id (--trainingpeaks-athlete-id, or the roster's "
                      "trainingpeaks_athlete_id column); the readable .txt files are written",
                      OutputSink::NoteLevel::action);
        } else if (outside_count > 0) {
            sink.note("trainingpeaks",
                      std::to_string(outside_count) +
                          " session(s) outside the Partner API's window (7 days before to 365 "
                          "days after " +
                          format_date(civil_from_days(today)) +
                          "), written as .txt only: " + outside);
        }
    }

    /// trainingpeaks.json: the planned workouts of every athlete with a
    /// TrainingPeaks id (the API requires one) in one JSON array, in roster
    /// order, each athlete's by file name (date first); as in write(), only
    /// the sessions inside the API's date window.
    std::string_view roster_file_name() const noexcept override { return "trainingpeaks.json"; }

    /// The athlete's array elements as they stand in the file (2-space
    /// indent, one level in, joined by ",\n"); empty without an id or a
    /// session in the window.
    std::string roster_part(const RosterPlan& athlete) const override {
        if (!athlete.options.trainingpeaks_athlete_id) {
            return {};
        }
        Json all = Json::array();
        const Plan& plan = *athlete.plan;
        const auto stems = detail::session_file_stems(plan);
        const auto names = detail::workout_names(plan);
        const std::int64_t today = reference_day(plan, athlete.options);
        std::vector<std::size_t> order(stems.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return stems[a] < stems[b]; });
        for (const std::size_t i : order) {
            if (in_window(plan.sessions[i], today)) {
                all.push_back(planned_workout(plan, plan.sessions[i],
                                              *athlete.options.trainingpeaks_athlete_id,
                                              names[i].full, athlete.options.weight_unit));
            }
        }
        if (all.empty()) {
            return {};
        }
        // dump(2) of a non-empty array is "[\n" + the elements + "\n]".
        const std::string text = all.dump(2);
        return text.substr(2, text.size() - 4);
    }

    /// The parts in one array: the bytes of one dump(2) of all the elements.
    std::string roster_file(const std::vector<std::string>& parts) const override {
        std::string elements;
        for (const auto& part : parts) {
            if (!part.empty()) {
                elements += (elements.empty() ? "" : ",\n") + part;
            }
        }
        return elements.empty() ? "[]\n" : "[\n" + elements + "\n]\n";
    }
};

} // namespace

std::unique_ptr<Writer> make_trainingpeaks_writer() {
    return std::make_unique<TrainingPeaksWriter>();
}

} // namespace ultrastrength
