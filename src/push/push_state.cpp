#include "push/push_state.hpp"

#include "plugins/writer.hpp"
#include "push/credentials.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace ultrastrength::push {

PushState::PushState(const std::filesystem::path& folder, const std::string& target)
    : m_path(folder / file_name(target)) {
    m_doc = {{"format", "ultrastrength-push-state"},
             {"version", 1},
             {"target", target},
             {"sessions", nlohmann::json::object()}};
    std::ifstream in(m_path, std::ios::binary);
    if (!in) {
        return;
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
        auto doc = nlohmann::json::parse(text.str());
        if (doc.value("format", "") != "ultrastrength-push-state" || !doc["sessions"].is_object()) {
            throw PushError(m_path.string() + ": not a push state file");
        }
        m_doc = std::move(doc);
    } catch (const nlohmann::json::exception&) {
        throw PushError(m_path.string() +
                        ": not valid JSON; remove it to push every session again");
    }
}

std::string PushState::file_name(const std::string& target) {
    return ".ultrastrength-push-" + target + ".json";
}

void PushState::save() const {
    FolderSink sink(m_path.parent_path());
    sink.put(m_path.filename().string(), m_doc.dump(2) + "\n");
}

std::string stable_hash(const std::string& bytes) {
    std::uint64_t hash = 1469598103934665603ULL;
    for (const unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
    return out;
}

} // namespace ultrastrength::push
