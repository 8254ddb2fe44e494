#include "plugins/ics/calendar_state.hpp"

#include "model/time.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace ultrastrength {

CalendarEventState next_event_state(const CalendarState* previous, const std::string& uid,
                                    const std::string& content_hash, std::int64_t now_s) {
    if (previous != nullptr) {
        if (const auto it = previous->find(uid); it != previous->end()) {
            if (it->second.content == content_hash) {
                return it->second;
            }
            return {content_hash, it->second.sequence + 1,
                    std::max(now_s, it->second.changed_s + 1)};
        }
    }
    return {content_hash, 0, now_s};
}

std::string calendar_state_to_json(const CalendarState& state) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& [uid, event] : state) {
        out[uid] = {{"content", event.content},
                    {"sequence", event.sequence},
                    {"changed", format_utc(event.changed_s)}};
    }
    return out.dump();
}

std::optional<CalendarState> calendar_state_from_json(std::string_view text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    CalendarState out;
    for (const auto& [uid, entry] : json.items()) {
        if (!entry.is_object()) {
            continue;
        }
        const auto content = entry.find("content");
        const auto sequence = entry.find("sequence");
        const auto changed = entry.find("changed");
        if (content == entry.end() || !content->is_string() || sequence == entry.end() ||
            !sequence->is_number_integer() || changed == entry.end() || !changed->is_string()) {
            continue;
        }
        const auto seconds = parse_iso8601(changed->get<std::string>());
        const auto seq = sequence->get<std::int64_t>();
        if (!seconds || seq < 0 || seq > 1000000) {
            continue;
        }
        out[uid] = {content->get<std::string>(), static_cast<int>(seq),
                    static_cast<std::int64_t>(std::floor(*seconds))};
    }
    return out;
}

} // namespace ultrastrength
