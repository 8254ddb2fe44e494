#include "model/activity.hpp"

namespace ultrastrength {

namespace {
constexpr std::array<std::string_view, 9> sport_names = {
    "running", "trail_running", "treadmill_running", "hiking", "walking",
    "cycling", "swimming",      "strength",          "other",
};
constexpr std::array<std::string_view, 19> flag_name_table = {
    "crc_mismatch",  "header_crc_mismatch", "truncated",         "trailing_garbage",
    "no_summary",    "relative_time",       "no_timestamps",     "no_heart_rate",
    "no_altitude",   "no_position",         "timer_clamped",     "summary_mismatch",
    "bad_timestamp", "leading_whitespace",  "undeclared_prefix", "gps_jumps",
    "multisport",    "desynchronized",      "sessions_dropped",
};
} // namespace

std::string_view to_string(Sport sport) noexcept {
    return sport_names[static_cast<std::size_t>(sport)];
}

std::optional<Sport> sport_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < sport_names.size(); ++i) {
        if (sport_names[i] == name) {
            return static_cast<Sport>(i);
        }
    }
    return std::nullopt;
}

bool is_running(Sport sport) noexcept {
    return sport == Sport::running || sport == Sport::trail_running ||
           sport == Sport::treadmill_running;
}

std::string_view to_string(Flag flag) noexcept {
    const auto bits = static_cast<std::uint32_t>(flag);
    for (std::size_t i = 0; i < flag_name_table.size(); ++i) {
        if (bits == (1U << i)) {
            return flag_name_table[i];
        }
    }
    return "unknown";
}

std::vector<std::string_view> flag_names(std::uint32_t bits) {
    std::vector<std::string_view> names;
    for (std::size_t i = 0; i < flag_name_table.size(); ++i) {
        if ((bits & (1U << i)) != 0) {
            names.push_back(flag_name_table[i]);
        }
    }
    return names;
}

} // namespace ultrastrength
