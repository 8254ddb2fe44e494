// The Garmin Training API's workout JSON (Garmin Connect Developer Program,
// Training API V2: workout -> segments -> steps, WorkoutStep and
// WorkoutRepeatStep), not the Connect web app's workout-service JSON.
// Checked against schemas/garmin-training-workout.schema.json, written from
// the documented fields, enumerations and limits (docs/push.md).
#ifndef ULTRASTRENGTH_PUSH_GARMIN_TRAINING_JSON_HPP
#define ULTRASTRENGTH_PUSH_GARMIN_TRAINING_JSON_HPP

#include <nlohmann/json.hpp>

#include <string>

namespace ultrastrength::push {

/// Documented limit: a single-sport workout holds at most 100 steps.
inline constexpr int garmin_training_max_steps = 100;

/// The workout for one plan.json session, named `name` (the writers' workout
/// name, plugins/workout_names.hpp); `marker` ends its description.
nlohmann::json garmin_training_workout(const nlohmann::json& plan_session, const std::string& name,
                                       const std::string& marker);
/// Steps in the workout, repeat steps included (the 100-step limit counts them).
int garmin_training_step_count(const nlohmann::json& workout);

} // namespace ultrastrength::push

#endif
