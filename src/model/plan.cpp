#include "model/plan.hpp"

#include <array>

namespace ultrastrength {

namespace {
constexpr std::array<std::string_view, 7> phase_names = {"off-season", "early", "mid",     "late",
                                                         "taper",      "race",  "recovery"};
constexpr std::array<std::string_view, 4> group_names = {"heavy", "plyometric", "corrective",
                                                         "eccentric"};
} // namespace

std::string_view to_string(Phase phase) noexcept {
    return phase_names[static_cast<std::size_t>(phase)];
}

std::optional<Phase> phase_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < phase_names.size(); ++i) {
        if (phase_names[i] == name) {
            return static_cast<Phase>(i);
        }
    }
    return std::nullopt;
}

std::string_view to_string(ExerciseGroup group) noexcept {
    return group_names[static_cast<std::size_t>(group)];
}

std::optional<ExerciseGroup> exercise_group_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < group_names.size(); ++i) {
        if (group_names[i] == name) {
            return static_cast<ExerciseGroup>(i);
        }
    }
    return std::nullopt;
}

} // namespace ultrastrength
