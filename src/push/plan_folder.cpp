#include "push/plan_folder.hpp"

#include "plugins/prescription.hpp"
#include "plugins/workout_names.hpp"
#include "push/credentials.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace ultrastrength::push {

namespace {

constexpr const char* manifest_name = ".ultrastrength-files";

std::optional<std::string> slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

PlanFolder read_plan_folder(const std::filesystem::path& folder) {
    const auto manifest_text = slurp(folder / manifest_name);
    if (!manifest_text) {
        throw PushError((folder / manifest_name).string() +
                        ": missing; push reads a folder written by `plan --out` or `batch --out`");
    }
    std::set<std::string> listed;
    std::istringstream lines(*manifest_text);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
            listed.insert(line);
        }
    }
    if (listed.count("plan.json") == 0) {
        throw PushError((folder / manifest_name).string() + ": does not list plan.json");
    }
    const auto plan_text = slurp(folder / "plan.json");
    nlohmann::json plan;
    try {
        plan = nlohmann::json::parse(plan_text.value_or(""));
    } catch (const nlohmann::json::exception&) {
        throw PushError((folder / "plan.json").string() + ": not valid JSON");
    }
    PlanFolder out;
    out.path = folder;
    try {
        out.athlete_id = plan.at("athlete").at("id").get<std::string>();
        const auto start = parse_date(plan.at("start").get<std::string>());
        if (!start) {
            throw PushError((folder / "plan.json").string() + ": bad start date");
        }
        out.start = *start;
        // The writers name each session's files by these stems; rebuild them
        // from the same function so the names always agree.
        Plan shape;
        shape.start = out.start;
        for (const auto& session : plan.at("sessions")) {
            PlanSession s;
            const auto date = parse_date(session.at("date").get<std::string>());
            if (!date) {
                throw PushError((folder / "plan.json").string() + ": bad session date");
            }
            s.date = *date;
            s.kind = session.at("kind").get<std::string>();
            shape.sessions.push_back(std::move(s));
        }
        const auto stems = detail::session_file_stems(shape);
        const auto names = detail::workout_names(shape);
        std::size_t i = 0;
        for (const auto& session : plan.at("sessions")) {
            PushSession s;
            s.id = session.at("id").get<std::string>();
            s.date = shape.sessions[i].date;
            s.title = session.at("title").get<std::string>();
            s.stem = stems[i];
            s.name = names[i].full;
            s.plan = session;
            const std::string fit = "garmin-fit/" + s.stem + ".fit";
            if (listed.count(fit) != 0) {
                s.fit_file = slurp(folder / fit);
            }
            const std::string tp = "trainingpeaks/" + s.stem + ".json";
            if (listed.count(tp) != 0) {
                s.trainingpeaks_file = slurp(folder / tp);
            }
            out.sessions.push_back(std::move(s));
            ++i;
        }
    } catch (const nlohmann::json::exception& e) {
        throw PushError((folder / "plan.json").string() + ": unexpected layout (" + e.what() + ")");
    }
    return out;
}

std::vector<std::filesystem::path> plan_folders(const std::filesystem::path& folder) {
    std::error_code ec;
    if (std::filesystem::exists(folder / "plan.json", ec)) {
        return {folder};
    }
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        if (entry.is_directory() && std::filesystem::exists(entry.path() / "plan.json") &&
            std::filesystem::exists(entry.path() / manifest_name)) {
            out.push_back(entry.path());
        }
    }
    if (ec) {
        throw PushError(folder.string() + ": cannot read: " + ec.message());
    }
    if (out.empty()) {
        throw PushError(folder.string() +
                        ": no plan.json here or in its sub-folders; push reads a folder written "
                        "by `plan --out` or `batch --out`");
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace ultrastrength::push
