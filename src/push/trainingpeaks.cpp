// TrainingPeaks Partner API (docs/push.md, "TrainingPeaks"): OAuth2 bearer
// token with scope workouts:plan; POST /v2/workouts/plan creates a planned
// workout (the body our TrainingPeaks writer makes), PUT /v2/workouts/plan/{id}
// replaces it (the full object), DELETE /v2/workouts/plan/{id} removes it.
// WorkoutDay from 7 days past to a year ahead; future workouts need a coach
// or a Premium athlete (else 403). The platform has no external id: our
// session id rides in the description's last line, so a create a killed push
// left is found again (GET /v2/workouts/{athleteId}/{start}/{end}).
#include "push/uploader.hpp"

namespace ultrastrength::push {

namespace {

class TrainingPeaksUploader final : public Uploader {
public:
    TrainingPeaksUploader(Api& api, const Credentials& credentials, const std::string& athlete)
        : m_api(api) {
        m_base = credentials.get("base_url").value_or("https://api.trainingpeaks.com");
        m_athlete_id = credentials.get_for(athlete, "athlete_id");
        // "coach" (default: a coach plans any day in the window), "premium" or "basic".
        m_account = credentials.get_for(athlete, "account").value_or("coach");
    }

    nlohmann::json payload(const PushSession& session, const PlanFolder& folder) const override {
        if (!session.trainingpeaks_file) {
            throw PushError((folder.path / ("trainingpeaks/" + session.stem + ".json")).string() +
                            ": missing; plan with --format trainingpeaks");
        }
        nlohmann::json body;
        try {
            body = nlohmann::json::parse(*session.trainingpeaks_file);
        } catch (const nlohmann::json::exception&) {
            throw PushError((folder.path / ("trainingpeaks/" + session.stem + ".json")).string() +
                            ": not valid JSON");
        }
        if (!body.contains("AthleteId") && m_athlete_id) {
            const auto& id = *m_athlete_id;
            const bool numeric =
                !id.empty() && id.find_first_not_of("0123456789") == std::string::npos;
            body["AthleteId"] = numeric ? nlohmann::json(std::stoll(id)) : nlohmann::json(id);
        }
        body["Description"] = body.value("Description", "") + "\n" + id_marker(session.id);
        return body;
    }

    std::string refuse(const PushSession& session, CivilDate today) const override {
        // A plan made without the athlete's id has no TrainingPeaks JSON (the
        // Partner API refuses a workout without AthleteId): the same refusal.
        if (!m_athlete_id &&
            (!session.trainingpeaks_file ||
             session.trainingpeaks_file->find("\"AthleteId\"") == std::string::npos)) {
            return "no TrainingPeaks athlete id: give trainingpeaks_athlete_id in the roster or "
                   "\"athlete_id\" in the config";
        }
        const auto day = days_from_civil(session.date);
        const auto now = days_from_civil(today);
        // Workouts Create: "The workout day can not be more than 7 days in the
        // past or more than a year in the future."
        if (day < now - 7) {
            return "TrainingPeaks takes workouts at most 7 days in the past";
        }
        if (day > days_from_civil(CivilDate{today.year + 1, today.month, today.day})) {
            return "TrainingPeaks takes workouts at most a year ahead";
        }
        if (m_account == "basic" && day > now) {
            return "TrainingPeaks plans future workouts only for a Premium athlete or through a "
                   "coach account (the API answers 403); set \"account\" in the config";
        }
        return {};
    }

    nlohmann::json upsert(const PushSession&, const nlohmann::json& payload,
                          const nlohmann::json& remote,
                          const std::function<void(const nlohmann::json&)>&) override {
        if (!payload.contains("AthleteId")) {
            throw RequestError(0, "no TrainingPeaks athlete id: give trainingpeaks_athlete_id in "
                                  "the roster or athlete_id in the config");
        }
        if (remote.is_object() && remote.contains("workout_id")) {
            auto body = payload;
            body["Id"] = remote["workout_id"];
            m_api.call("PUT", m_base + "/v2/workouts/plan/" + remote["workout_id"].dump(), body);
            return remote;
        }
        const auto answer = m_api.call("POST", m_base + "/v2/workouts/plan", payload);
        if (answer.is_object() && answer.contains("Id")) {
            return {{"workout_id", answer["Id"]}};
        }
        if (m_api.dry_run()) {
            return {{"workout_id", m_api.next_fake_id()}};
        }
        throw RequestError(0, "TrainingPeaks answered the create without an Id");
    }

    nlohmann::json find(const PushSession& session, const nlohmann::json& payload) override {
        if (!payload.contains("AthleteId")) {
            return nullptr;
        }
        const auto day = format_date(session.date);
        const auto athlete = payload["AthleteId"].is_string()
                                 ? payload["AthleteId"].get<std::string>()
                                 : payload["AthleteId"].dump();
        const auto answer = m_api.call("GET",
                                       m_base + "/v2/workouts/" + athlete + "/" + day + "/" + day +
                                           "?includeDescription=true",
                                       std::nullopt);
        if (answer.is_array()) {
            for (const auto& workout : answer) {
                if (workout.value("Description", "").find(id_marker(session.id)) !=
                        std::string::npos &&
                    workout.contains("Id")) {
                    return {{"workout_id", workout["Id"]}};
                }
            }
        }
        return nullptr;
    }

    void remove(const std::string&, const std::string&, const nlohmann::json& remote) override {
        if (!remote.is_object() || !remote.contains("workout_id")) {
            return;
        }
        try {
            m_api.call("DELETE", m_base + "/v2/workouts/plan/" + remote["workout_id"].dump(),
                       std::nullopt);
        } catch (const RequestError& e) {
            if (e.status() != 404) { // already gone: the goal is reached
                throw;
            }
        }
    }

private:
    Api& m_api;
    std::string m_base;
    std::optional<std::string> m_athlete_id;
    std::string m_account;
};

} // namespace

std::unique_ptr<Uploader> make_trainingpeaks_uploader(Api& api, const Credentials& credentials,
                                                      const std::string& athlete) {
    return std::make_unique<TrainingPeaksUploader>(api, credentials, athlete);
}

} // namespace ultrastrength::push
