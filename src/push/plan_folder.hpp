// A plan folder as `plan --out` leaves it, read through its manifest
// (.ultrastrength-files): plan.json for the sessions, and each session's
// files by the writers' stems (garmin-fit/STEM.fit, trainingpeaks/STEM.json).
// A batch folder holds one such folder per athlete.
#ifndef ULTRASTRENGTH_PUSH_PLAN_FOLDER_HPP
#define ULTRASTRENGTH_PUSH_PLAN_FOLDER_HPP

#include "model/time.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ultrastrength::push {

struct PushSession {
    std::string id; ///< the plan's stable session id (athlete, date, kind)
    CivilDate date;
    std::string title;
    /// The workout name the file writers give the session ("W3 Tue Heavy+Corrective"),
    /// so a pushed workout is named as the imported file's would be.
    std::string name;
    std::string stem;                    ///< the writers' file stem ("2026-11-24_heavy-corrective")
    nlohmann::json plan;                 ///< the session object of plan.json
    std::optional<std::string> fit_file; ///< bytes of garmin-fit/STEM.fit, when written
    std::optional<std::string> trainingpeaks_file; ///< bytes of trainingpeaks/STEM.json
};

struct PlanFolder {
    std::filesystem::path path;
    std::string athlete_id;
    CivilDate start; ///< the plan's first day
    std::vector<PushSession> sessions;
};

/// Reads one athlete's plan folder. Throws PushError naming the file.
PlanFolder read_plan_folder(const std::filesystem::path& folder);

/// `folder` itself when it holds plan.json, else its athlete sub-folders (a
/// batch output), sorted by name. Throws PushError when there is neither.
std::vector<std::filesystem::path> plan_folders(const std::filesystem::path& folder);

} // namespace ultrastrength::push

#endif
