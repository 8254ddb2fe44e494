#include "push/credentials.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ultrastrength::push {

namespace {

std::string env_name(const std::string& target, const std::string& key) {
    std::string out = "ULTRASTRENGTH_";
    for (const char c : target + "_" + key) {
        out += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return out;
}

} // namespace

std::filesystem::path default_config_path() {
    if (const char* explicit_path = std::getenv("ULTRASTRENGTH_PUSH_CONFIG");
        explicit_path != nullptr && *explicit_path != '\0') {
        return explicit_path;
    }
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::filesystem::path(xdg) / "ultrastrength" / "push.json";
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr ? home : ".") / ".config" / "ultrastrength" /
           "push.json";
}

Credentials::Credentials(std::filesystem::path path, std::string target)
    : m_path(std::move(path)), m_target(std::move(target)) {
    struct stat info {};
    if (::stat(m_path.c_str(), &info) != 0) {
        if (errno != ENOENT) {
            throw PushError(m_path.string() + ": cannot read: " + std::strerror(errno));
        }
        return;
    }
    // A credential file others can read leaks the athlete's account: refuse
    // it rather than use it (as ssh does with a private key).
    if ((info.st_mode & 077) != 0) {
        throw PushError(m_path.string() +
                        ": readable by group or others; run `chmod 600` on it (it holds "
                        "credentials)");
    }
    std::ifstream in(m_path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    try {
        m_file = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::exception&) {
        throw PushError(m_path.string() + ": not valid JSON (expected an object with one section "
                                          "per target, docs/push.md)");
    }
    if (!m_file.is_object() || (m_file.contains(m_target) && !m_file[m_target].is_object())) {
        throw PushError(m_path.string() + ": expected an object with one object per target");
    }
}

std::optional<std::string> Credentials::get(const std::string& key) const {
    if (const char* value = std::getenv(env_name(m_target, key).c_str());
        value != nullptr && *value != '\0') {
        return std::string(value);
    }
    const auto section = m_file.find(m_target);
    if (section == m_file.end()) {
        return std::nullopt;
    }
    const auto value = section->find(key);
    if (value == section->end() || value->is_null()) {
        return std::nullopt;
    }
    return value->is_string() ? value->get<std::string>() : value->dump();
}

std::optional<std::string> Credentials::get_for(const std::string& athlete,
                                                const std::string& key) const {
    const auto section = m_file.find(m_target);
    if (section != m_file.end() && section->contains("athletes") &&
        (*section)["athletes"].contains(athlete) && (*section)["athletes"][athlete].contains(key)) {
        const auto& value = (*section)["athletes"][athlete][key];
        return value.is_string() ? value.get<std::string>() : value.dump();
    }
    return get(key);
}

void Credentials::set(const std::string& key, const std::string& value) {
    m_file[m_target][key] = value;
    save();
}

void Credentials::set_all(const nlohmann::json& values) {
    for (const auto& [key, value] : values.items()) {
        m_file[m_target][key] = value;
    }
    save();
}

void Credentials::save() const {
    std::error_code ec;
    std::filesystem::create_directories(m_path.parent_path(), ec);
    const std::string temp = m_path.string() + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw PushError(m_path.string() +
                        ": cannot save the refreshed credentials: " + std::strerror(errno));
    }
    const std::string text = m_file.dump(2) + "\n";
    const bool ok = ::fchmod(fd, 0600) == 0 &&
                    ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(temp.c_str(), m_path.c_str()) != 0) {
        ::unlink(temp.c_str());
        throw PushError(m_path.string() +
                        ": cannot save the refreshed credentials: " + std::strerror(errno));
    }
}

} // namespace ultrastrength::push
