#include "plugins/garmin_connect/garmin_connect_writer.hpp"

#include "plugins/prescription.hpp"
#include "plugins/workout_names.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

namespace ultrastrength {

namespace {

using Json = nlohmann::ordered_json;

// Id/key tables of §2.2 ("from /workout-service/workout/types").
Json sport_strength() {
    // As Connect returns it for a strength workout read back (tests/data/connect).
    return {{"sportTypeId", 5}, {"sportTypeKey", "strength_training"}, {"displayOrder", 4}};
}
Json step_type(int id, const char* key) {
    return {{"stepTypeId", id}, {"stepTypeKey", key}, {"displayOrder", id}};
}
Json end_condition(int id, const char* key, bool displayable) {
    return {{"conditionTypeId", id},
            {"conditionTypeKey", key},
            {"displayOrder", id},
            {"displayable", displayable}};
}
Json no_target() {
    return {{"workoutTargetTypeId", 1}, {"workoutTargetTypeKey", "no.target"}, {"displayOrder", 1}};
}

/// Connect's partner documentation limits descriptions to 1024 characters (§2.5);
/// the same cap keeps the consumer endpoint safe.
constexpr std::size_t max_description_bytes = 1024;

Json exercise_step(const PlanStep& step, int& order, WeightUnit unit) {
    Json out;
    out["type"] = "ExecutableStepDTO";
    out["stepOrder"] = order++;
    out["stepType"] = step_type(3, "interval");
    if (step.reps) {
        out["endCondition"] = end_condition(10, "reps", true);
        // Reps done on each side count both sides, as the watch counts them
        // and as a timed step on each side runs for both (the notes say "/side").
        out["endConditionValue"] = static_cast<double>(*step.reps * (step.per_side ? 2 : 1));
    } else if (step.seconds) {
        out["endCondition"] = end_condition(2, "time", true);
        // A timed exercise done on each side runs for both sides in one step.
        out["endConditionValue"] = static_cast<double>(*step.seconds * (step.per_side ? 2 : 1));
    } else {
        out["endCondition"] = end_condition(1, "lap.button", true);
    }
    out["targetType"] = no_target();
    if (!step.connect_category.empty()) {
        out["category"] = step.connect_category;
        // Connect names a step by its exercise key, never by our text. Only an
        // exercise Garmin has (no title of our own, docs/garmin-exercises.md)
        // gets its key; any other is the category alone, with an empty name,
        // as Connect itself writes such a step ("CARRY" with "exerciseName": ""
        // in a workout built in Connect and read back, ColinPlatt/workout-relay
        // tests/fixtures/garmin_strength_workout.json).
        out["exerciseName"] = step.fit_title.empty() ? step.connect_name : std::string();
    }
    if (step.load_kg && *step.load_kg > 0) {
        // Kilograms, with Connect's kilogram unit: a workout built in Connect
        // and read back (GET /workout-service/workout/{id}) holds 6.0 for a 6 kg
        // kettlebell and 8.0 for an 8 kg deadlift; "factor": 1000.0 is the
        // unit's description (grams per kilogram), not a multiplier (ColinPlatt/
        // workout-relay docs/garmin-strength-format.md, and Taxuspt/garmin_mcp
        // workouts.py sends 60.0 for 60 kg). python-garminconnect's helper that
        // sends grams disagrees with that read-back; the read-back is what
        // Connect stores. Two decimals: finer than any plate or dumbbell.
        out["weightValue"] = std::round(*step.load_kg * 100.0) / 100.0;
        out["weightUnit"] = {{"unitId", 8}, {"unitKey", "kilogram"}, {"factor", 1000.0}};
    }
    out["description"] =
        detail::step_note(step, unit, max_description_bytes, detail::NoteName::first);
    return out;
}

Json rest_step(int seconds, int& order) {
    return {{"type", "ExecutableStepDTO"},
            {"stepOrder", order++},
            {"stepType", step_type(5, "rest")},
            {"endCondition", end_condition(2, "time", true)},
            {"endConditionValue", static_cast<double>(seconds)},
            {"targetType", no_target()}};
}

Json workout(const Plan& plan, const PlanSession& session, const std::string& name,
             WeightUnit unit) {
    Json steps = Json::array();
    // stepOrder runs 1..n depth-first: a repeat group, then its children (§2.3).
    int order = 1;
    for (const auto& block : session.blocks) {
        if (block.steps.empty()) {
            continue;
        }
        Json children = Json::array();
        Json* target = &steps;
        if (block.sets > 1) {
            Json group;
            group["type"] = "RepeatGroupDTO";
            group["stepOrder"] = order++;
            group["stepType"] = step_type(6, "repeat");
            group["numberOfIterations"] = block.sets;
            group["smartRepeat"] = false;
            group["endCondition"] = end_condition(7, "iterations", false);
            group["endConditionValue"] = static_cast<double>(block.sets);
            group["workoutSteps"] = Json::array();
            steps.push_back(std::move(group));
            target = &steps.back()["workoutSteps"];
        }
        for (const auto& step : block.steps) {
            target->push_back(exercise_step(step, order, unit));
            if (step.rest_s > 0) {
                target->push_back(rest_step(step.rest_s, order));
            }
        }
    }
    Json out;
    out["workoutName"] = name;
    out["description"] = detail::cut_at_boundary(detail::prescription_text(plan, session, unit),
                                                 max_description_bytes);
    out["sportType"] = sport_strength();
    out["estimatedDurationInSecs"] = session.estimated_minutes * 60;
    out["workoutSegments"] = Json::array({{{"segmentOrder", 1},
                                           {"sportType", sport_strength()},
                                           {"workoutSteps", std::move(steps)}}});
    return out;
}

/// Connect's strength workout editor caps workouts at 50 steps (§1.6).
constexpr std::size_t max_editor_steps = 50;

std::size_t count_steps(const Json& steps) {
    std::size_t n = 0;
    for (const auto& step : steps) {
        n += 1 + (step.contains("workoutSteps") ? count_steps(step["workoutSteps"]) : 0);
    }
    return n;
}

class GarminConnectWriter final : public Writer {
public:
    std::string_view name() const noexcept override { return "garmin-connect"; }
    std::string_view description() const noexcept override {
        return "Garmin Connect workout JSON per session (workout-service format) and a schedule "
               "of dates, for upload through the Connect API";
    }
    std::string_view extension() const noexcept override { return ".json"; }

    void write(const Plan& plan, const WriteOptions& options, OutputSink& sink) const override {
        const auto stems = detail::session_file_stems(plan);
        const auto names = detail::workout_names(plan);
        Json schedule;
        schedule["athlete"] = plan.athlete_id;
        schedule["workouts"] = Json::array();
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            const std::string file = stems[i] + ".json";
            const auto body = workout(plan, session, names[i].full, options.weight_unit);
            sink.put("garmin-connect/" + file, body.dump(2) + '\n');
            if (const auto steps = count_steps(body["workoutSegments"][0]["workoutSteps"]);
                steps > max_editor_steps) {
                sink.note("garmin-connect/" + file,
                          std::to_string(steps) + " steps: Connect's editor shows at most " +
                              std::to_string(max_editor_steps) +
                              " in a strength workout; the upload may be refused");
            }
            // POST /workout-service/schedule/{workoutId} with {"date": …} (§2.1).
            schedule["workouts"].push_back({{"date", format_date(session.date)},
                                            {"file", file},
                                            {"workoutName", names[i].full}});
        }
        sink.put("garmin-connect/schedule.json", schedule.dump(2) + '\n');
    }
};

} // namespace

std::unique_ptr<Writer> make_garmin_connect_writer() {
    return std::make_unique<GarminConnectWriter>();
}

} // namespace ultrastrength
