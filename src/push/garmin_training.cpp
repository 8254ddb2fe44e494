// Garmin Training API (docs/push.md, "Garmin Training API"), for approved
// developers of the Garmin Connect Developer Program: OAuth2 (PKCE) bearer
// token with the WORKOUT_IMPORT permission; POST /workoutportal/workout/v2
// creates a workout, POST /training-api/schedule/ puts it on a day; PUT and
// DELETE /training-api/workout/v2/{workoutId} and
// /training-api/schedule/{scheduleId} update and remove them. Our session id
// rides in the workout description's last line, so a workout a killed push
// created is found again through the day's schedules.
#include "push/garmin_training_json.hpp"
#include "push/uploader.hpp"

namespace ultrastrength::push {

namespace {

std::string id_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

class GarminTrainingUploader final : public Uploader {
public:
    GarminTrainingUploader(Api& api, const Credentials& credentials) : m_api(api) {
        m_base = credentials.get("base_url").value_or("https://apis.garmin.com");
    }

    nlohmann::json payload(const PushSession& session, const PlanFolder&) const override {
        return {
            {"workout", garmin_training_workout(session.plan, session.name, id_marker(session.id))},
            {"date", format_date(session.date)}};
    }

    std::string refuse(const PushSession& session, CivilDate) const override {
        const auto workout =
            garmin_training_workout(session.plan, session.name, id_marker(session.id));
        if (garmin_training_step_count(workout) > garmin_training_max_steps) {
            return "more than the " + std::to_string(garmin_training_max_steps) +
                   " steps a Garmin workout may hold";
        }
        return {};
    }

    nlohmann::json upsert(const PushSession&, const nlohmann::json& payload,
                          const nlohmann::json& remote,
                          const std::function<void(const nlohmann::json&)>& checkpoint) override {
        nlohmann::json out = remote.is_object() ? remote : nlohmann::json::object();
        if (out.contains("workout_id")) {
            auto body = payload["workout"];
            body["workoutId"] = out["workout_id"];
            m_api.call("PUT", m_base + "/training-api/workout/v2/" + id_text(out["workout_id"]),
                       body);
        } else {
            const auto answer =
                m_api.call("POST", m_base + "/workoutportal/workout/v2", payload["workout"]);
            if (answer.is_object() && answer.contains("workoutId")) {
                out["workout_id"] = answer["workoutId"];
            } else if (m_api.dry_run()) {
                out["workout_id"] = m_api.next_fake_id();
            } else {
                throw RequestError(0, "Garmin answered the workout create without a workoutId");
            }
            checkpoint(out);
        }
        nlohmann::json schedule = {{"workoutId", out["workout_id"]}, {"date", payload["date"]}};
        if (out.contains("schedule_id")) {
            schedule["scheduleId"] = out["schedule_id"];
            m_api.call("PUT", m_base + "/training-api/schedule/" + id_text(out["schedule_id"]),
                       schedule);
        } else {
            const auto answer = m_api.call("POST", m_base + "/training-api/schedule/", schedule);
            // The create answers the new schedule's id, bare or in an object.
            if (answer.is_number() || answer.is_string()) {
                out["schedule_id"] = answer;
            } else if (answer.is_object() && answer.contains("scheduleId")) {
                out["schedule_id"] = answer["scheduleId"];
            } else if (answer.is_object() && answer.contains("workoutScheduleId")) {
                out["schedule_id"] = answer["workoutScheduleId"];
            } else if (m_api.dry_run()) {
                out["schedule_id"] = m_api.next_fake_id();
            } else {
                throw RequestError(0, "Garmin answered the schedule create without an id");
            }
        }
        return out;
    }

    nlohmann::json find(const PushSession& session, const nlohmann::json& payload) override {
        const std::string day = payload["date"];
        const auto schedules = m_api.call(
            "GET", m_base + "/training-api/schedule?startDate=" + day + "&endDate=" + day,
            std::nullopt);
        if (!schedules.is_array()) {
            return nullptr;
        }
        for (const auto& schedule : schedules) {
            if (!schedule.contains("workoutId")) {
                continue;
            }
            const auto workout = m_api.call(
                "GET", m_base + "/training-api/workout/v2/" + id_text(schedule["workoutId"]),
                std::nullopt);
            if (workout.is_object() &&
                workout.value("description", "").find(id_marker(session.id)) != std::string::npos) {
                nlohmann::json out = {{"workout_id", schedule["workoutId"]}};
                if (schedule.contains("scheduleId")) {
                    out["schedule_id"] = schedule["scheduleId"];
                }
                return out;
            }
        }
        return nullptr;
    }

    void remove(const std::string&, const std::string&, const nlohmann::json& remote) override {
        auto tolerate_gone = [&](const std::string& url) {
            try {
                m_api.call("DELETE", url, std::nullopt);
            } catch (const RequestError& e) {
                if (e.status() != 404) {
                    throw;
                }
            }
        };
        if (remote.is_object() && remote.contains("schedule_id")) {
            tolerate_gone(m_base + "/training-api/schedule/" + id_text(remote["schedule_id"]));
        }
        if (remote.is_object() && remote.contains("workout_id")) {
            tolerate_gone(m_base + "/training-api/workout/v2/" + id_text(remote["workout_id"]));
        }
    }

private:
    Api& m_api;
    std::string m_base;
};

} // namespace

std::unique_ptr<Uploader> make_garmin_training_uploader(Api& api, const Credentials& credentials,
                                                        const std::string&) {
    return std::make_unique<GarminTrainingUploader>(api, credentials);
}

} // namespace ultrastrength::push
