#include "push/garmin_training_json.hpp"

#include "push/uploader.hpp"

namespace ultrastrength::push {

namespace {

// Documented field lengths: workout description 1024, step description 512,
// workoutProvider and workoutSourceId 20 characters.
std::string clip(const std::string& text, std::size_t max_chars) {
    if (text.size() <= max_chars) {
        return text;
    }
    std::size_t cut = max_chars - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut; // never split a UTF-8 sequence
    }
    return text.substr(0, cut) + "...";
}

nlohmann::json exercise_step(const nlohmann::json& step, int& order) {
    nlohmann::json out = {{"type", "WorkoutStep"}, {"stepOrder", order++}, {"intensity", "ACTIVE"}};
    std::string text = step.value("name", "");
    if (step.value("per_side", false)) {
        text += ", each side";
    }
    if (!step.value("cue", "").empty()) {
        text += ": " + step.value("cue", "");
    }
    out["description"] = clip(text, 512);
    if (step.contains("reps")) {
        out["durationType"] = "REPS";
        out["durationValue"] = step["reps"].get<int>() * (step.value("per_side", false) ? 2 : 1);
    } else if (step.contains("seconds")) {
        out["durationType"] = "TIME";
        out["durationValue"] = step["seconds"].get<int>() * (step.value("per_side", false) ? 2 : 1);
    } else {
        out["durationType"] = "OPEN";
    }
    out["targetType"] = "OPEN";
    if (step.contains("connect") && !step["connect"].value("category", "").empty()) {
        out["exerciseCategory"] = step["connect"]["category"];
        if (!step["connect"].value("name", "").empty()) {
            out["exerciseName"] = step["connect"]["name"];
        }
    }
    if (step.contains("load_kg")) {
        out["weightValue"] = step["load_kg"];
        out["weightDisplayUnit"] = "KILOGRAM";
    }
    return out;
}

nlohmann::json rest_step(int seconds, int& order) {
    return {{"type", "WorkoutStep"},  {"stepOrder", order++},     {"intensity", "REST"},
            {"durationType", "TIME"}, {"durationValue", seconds}, {"targetType", "OPEN"}};
}

int count_steps(const nlohmann::json& steps) {
    int n = 0;
    for (const auto& step : steps) {
        ++n;
        if (step.contains("steps")) {
            n += count_steps(step["steps"]);
        }
    }
    return n;
}

} // namespace

nlohmann::json garmin_training_workout(const nlohmann::json& plan_session, const std::string& name,
                                       const std::string& marker) {
    int order = 1;
    auto steps = nlohmann::json::array();
    for (const auto& block : plan_session.value("blocks", nlohmann::json::array())) {
        auto inner = nlohmann::json::array();
        const int sets = block.value("sets", 1);
        nlohmann::json repeat;
        if (sets > 1) {
            repeat = {{"type", "WorkoutRepeatStep"},
                      {"stepOrder", order++},
                      {"repeatType", "REPEAT_UNTIL_STEPS_CMPLT"},
                      {"repeatValue", sets}};
        }
        for (const auto& step : block.value("steps", nlohmann::json::array())) {
            inner.push_back(exercise_step(step, order));
            if (step.value("rest_s", 0) > 0) {
                inner.push_back(rest_step(step["rest_s"].get<int>(), order));
            }
        }
        if (sets > 1) {
            repeat["steps"] = std::move(inner);
            steps.push_back(std::move(repeat));
        } else {
            for (auto& step : inner) {
                steps.push_back(std::move(step));
            }
        }
    }
    const int seconds = plan_session.value("estimated_minutes", 0) * 60;
    const std::string suffix = "\n" + marker;
    return {
        {"workoutName", clip(name.empty() ? plan_session.value("title", "Strength") : name, 100)},
        {"description", clip(session_description(plan_session), 1024 - suffix.size()) + suffix},
        {"sport", "STRENGTH_TRAINING"},
        {"estimatedDurationInSecs", seconds},
        {"workoutProvider", "ultrastrength"},
        {"workoutSourceId", "ultrastrength"},
        {"isSessionTransitionEnabled", false},
        {"segments", nlohmann::json::array({{{"segmentOrder", 1},
                                             {"sport", "STRENGTH_TRAINING"},
                                             {"estimatedDurationInSecs", seconds},
                                             {"steps", std::move(steps)}}})},
    };
}

int garmin_training_step_count(const nlohmann::json& workout) {
    int n = 0;
    for (const auto& segment : workout.value("segments", nlohmann::json::array())) {
        n += count_steps(segment.value("steps", nlohmann::json::array()));
    }
    return n;
}

} // namespace ultrastrength::push
