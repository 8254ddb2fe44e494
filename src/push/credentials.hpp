// Credentials the user sets up once (docs/push.md, "Credentials"): one JSON
// config file, one object per target, readable by its owner only (mode 0600;
// a file others can read is refused), or environment variables
// ULTRASTRENGTH_<TARGET>_<KEY> (ULTRASTRENGTH_INTERVALS_ICU_API_KEY,
// ULTRASTRENGTH_TRAININGPEAKS_REFRESH_TOKEN, ...), which win over the file.
// Rotated OAuth tokens are written back to the file atomically, mode 0600.
// Values are never printed.
#ifndef ULTRASTRENGTH_PUSH_CREDENTIALS_HPP
#define ULTRASTRENGTH_PUSH_CREDENTIALS_HPP

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace ultrastrength::push {

/// Something that stops the push before any request: missing or unsafe
/// credentials, an unreadable plan folder. The message names the file.
class PushError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The config file used when none is given: $ULTRASTRENGTH_PUSH_CONFIG, else
/// $XDG_CONFIG_HOME/ultrastrength/push.json, else ~/.config/ultrastrength/push.json.
std::filesystem::path default_config_path();

class Credentials {
public:
    /// Reads `path` when it exists (refusing it when group or others may read
    /// it) and the target's environment variables. Throws PushError.
    Credentials(std::filesystem::path path, std::string target);

    /// The value for `key` (environment first, then the file), or nullopt.
    std::optional<std::string> get(const std::string& key) const;
    /// `key` for one athlete of a roster ("athletes": {"alex": {...}}), else get(key).
    std::optional<std::string> get_for(const std::string& athlete, const std::string& key) const;
    /// Sets `key` in the target's section and rewrites the file (0600, atomic).
    void set(const std::string& key, const std::string& value);
    /// Sets several keys and writes once.
    void set_all(const nlohmann::json& values);

    const std::filesystem::path& path() const noexcept { return m_path; }
    const std::string& target() const noexcept { return m_target; }

private:
    void save() const;
    std::filesystem::path m_path;
    std::string m_target;
    nlohmann::json m_file = nlohmann::json::object();
};

} // namespace ultrastrength::push

#endif
