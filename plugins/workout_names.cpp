#include "plugins/workout_names.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace ultrastrength::detail {

namespace {

/// Monday = 0 (1970-01-01 was a Thursday).
int weekday(std::int64_t days) {
    return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

constexpr std::array<const char*, 7> weekday_names = {"Mon", "Tue", "Wed", "Thu",
                                                      "Fri", "Sat", "Sun"};

/// The parts of a kind ("heavy+corrective") at a level of detail: 0 the whole
/// word ("Heavy"), 1 three letters ("Hvy"), 2 the initial ("H").
std::string kind_label(std::string_view kind, int level) {
    std::string out;
    std::size_t start = 0;
    while (start <= kind.size()) {
        auto end = kind.find('+', start);
        if (end == std::string_view::npos) {
            end = kind.size();
        }
        const auto part = kind.substr(start, end - start);
        start = end + 1;
        if (part.empty()) {
            continue;
        }
        std::string word;
        if (level == 1) {
            // The groups of analysis.md §4.2 by their usual short forms.
            if (part == "heavy") {
                word = "hvy";
            } else if (part == "plyometric") {
                word = "ply";
            } else if (part == "corrective") {
                word = "cor";
            } else if (part == "eccentric") {
                word = "ecc";
            } else {
                word = std::string(part.substr(0, 3));
            }
        } else if (level == 2) {
            word = std::string(part.substr(0, 1));
        } else {
            word = std::string(part);
        }
        if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') {
            word[0] = static_cast<char>(word[0] - 'a' + 'A');
        }
        if (!out.empty()) {
            out += '+';
        }
        out += word;
    }
    return out.empty() ? std::string(level == 2 ? "S" : "Strength") : out;
}

} // namespace

std::vector<WorkoutName> workout_names(const Plan& plan) {
    const std::int64_t first = days_from_civil(plan.start);
    const std::int64_t first_monday = first - weekday(first);
    std::vector<WorkoutName> out;
    std::set<std::string> used_full;
    std::set<std::string> used_watch;
    for (const auto& session : plan.sessions) {
        const std::int64_t day = days_from_civil(session.date);
        // A session before the plan's first week (not planned, but possible in
        // a hand-made plan) counts as week 0 and below rather than wrapping.
        const std::int64_t offset = day - first_monday;
        const std::int64_t week = (offset >= 0 ? offset / 7 : (offset - 6) / 7) + 1;
        std::string when = "W";
        when += std::to_string(week);
        when += ' ';
        when += weekday_names[static_cast<std::size_t>(weekday(day))];
        WorkoutName name;
        for (int n = 1;; ++n) {
            std::string suffix;
            if (n > 1) {
                suffix += ' ';
                suffix += std::to_string(n);
            }
            auto compose = [&](int level) {
                std::string text = when;
                text += ' ';
                text += kind_label(session.kind, level);
                text += suffix;
                return text;
            };
            name.full = compose(0);
            name.watch.clear();
            for (int level = 0; level <= 2; ++level) {
                const std::string candidate = compose(level);
                if (candidate.size() <= watch_name_max_bytes) {
                    name.watch = candidate;
                    break;
                }
            }
            if (name.watch.empty()) {
                // Many groups in one session: the date and the suffix still fit.
                name.watch = when;
                name.watch += suffix;
                name.watch.resize(std::min(name.watch.size(), watch_name_max_bytes));
            }
            if (used_full.count(name.full) == 0 && used_watch.count(name.watch) == 0) {
                break;
            }
        }
        used_full.insert(name.full);
        used_watch.insert(name.watch);
        out.push_back(std::move(name));
    }
    return out;
}

std::string cut_at_boundary(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    static constexpr std::string_view mark = "\u2026";
    if (max_bytes < mark.size()) {
        return {};
    }
    const std::size_t room = max_bytes - mark.size();
    // The byte at `room` starts what is left out: a cut there keeps whole words
    // when it is a space or a line end.
    std::size_t end = std::string_view::npos;
    if (const auto line = text.substr(0, room + 1).rfind('\n');
        line != std::string_view::npos && line > room / 2) {
        end = line; // a whole line, when that keeps at least half the room
    } else if (const auto space = text.substr(0, room + 1).find_last_of(" \n");
               space != std::string_view::npos && space > 0) {
        end = space;
    } else {
        end = room;
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
            --end;
        }
    }
    auto kept = text.substr(0, end);
    while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\n')) {
        kept.remove_suffix(1);
    }
    std::string out(kept);
    out.append(mark);
    return out;
}

} // namespace ultrastrength::detail
