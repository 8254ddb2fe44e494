#include "plan/context.hpp"

#include <array>
#include <cctype>

namespace ultrastrength {

namespace {
constexpr std::array<std::string_view, 3> level_names = {"novice", "intermediate", "advanced"};
constexpr std::array<std::string_view, 3> history_names = {"none", "some", "experienced"};
constexpr std::array<std::string_view, 3> confidence_names = {"low", "medium", "high"};
constexpr std::array<std::string_view, 7> weekday_names = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}
} // namespace

std::string_view to_string(Level level) noexcept {
    return level_names[static_cast<std::size_t>(level)];
}

std::optional<Level> level_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < level_names.size(); ++i) {
        if (level_names[i] == name) {
            return static_cast<Level>(i);
        }
    }
    return std::nullopt;
}

std::string_view to_string(StrengthHistory history) noexcept {
    return history_names[static_cast<std::size_t>(history)];
}

std::optional<StrengthHistory> strength_history_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < history_names.size(); ++i) {
        if (history_names[i] == name) {
            return static_cast<StrengthHistory>(i);
        }
    }
    return std::nullopt;
}

std::string_view to_string(PlanConfidence confidence) noexcept {
    return confidence_names[static_cast<std::size_t>(confidence)];
}

std::optional<PlanConfidence> confidence_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < confidence_names.size(); ++i) {
        if (confidence_names[i] == name) {
            return static_cast<PlanConfidence>(i);
        }
    }
    return std::nullopt;
}

std::optional<int> weekday_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < weekday_names.size(); ++i) {
        if (iequals(name, weekday_names[i]) || iequals(name, weekday_names[i].substr(0, 3))) {
            return static_cast<int>(i);
        }
    }
    return std::nullopt;
}

bool is_equipment_name(std::string_view name) noexcept {
    for (const auto known : equipment_names) {
        if (known == name) {
            return true;
        }
    }
    return false;
}

int recovery_days(double effort_km) noexcept {
    // analysis.md §3.1: R = 7 d (< 45 km-effort), 14 (45-114), 21 (115-209), 28 (>= 210).
    if (effort_km < 45) {
        return 7;
    }
    if (effort_km < 115) {
        return 14;
    }
    if (effort_km < 210) {
        return 21;
    }
    return 28;
}

} // namespace ultrastrength
