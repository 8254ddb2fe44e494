// What was pushed, per target, in a file of its own in the plan folder
// (`.ultrastrength-push-TARGET.json`): per session id the hash of what was
// sent, its date and the platform's ids. Rewritten atomically after every
// request that changed the platform, and marked "pending" before a create,
// so a push killed at any moment is resumed by the next run.
#ifndef ULTRASTRENGTH_PUSH_PUSH_STATE_HPP
#define ULTRASTRENGTH_PUSH_PUSH_STATE_HPP

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace ultrastrength::push {

class PushState {
public:
    /// Loads the target's state in `folder`; a missing file is an empty state,
    /// an unreadable one throws PushError.
    PushState(const std::filesystem::path& folder, const std::string& target);

    static std::string file_name(const std::string& target);

    /// Session id -> {"hash", "date", "remote", "pending"}.
    nlohmann::json& sessions() { return m_doc["sessions"]; }
    /// Writes the file atomically (temp file, fsync, rename).
    void save() const;

private:
    std::filesystem::path m_path;
    nlohmann::json m_doc;
};

/// A stable 64-bit hash of bytes, as 16 hex digits (FNV-1a).
std::string stable_hash(const std::string& bytes);

} // namespace ultrastrength::push

#endif
