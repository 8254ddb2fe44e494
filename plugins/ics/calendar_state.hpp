// What a calendar needs to update an event in place (RFC 5545 §3.8.7.4
// SEQUENCE, §3.8.7.2 DTSTAMP, §3.8.7.3 LAST-MODIFIED): per event, a hash of
// its content, how often that content changed and when it last did. The
// output folder keeps it between runs; this unit only turns one run's state
// into the next and reads and writes it as JSON text, so it can live in
// whatever state file the folder has.
#ifndef ULTRASTRENGTH_PLUGINS_ICS_CALENDAR_STATE_HPP
#define ULTRASTRENGTH_PLUGINS_ICS_CALENDAR_STATE_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ultrastrength {

struct CalendarEventState {
    std::string content;        ///< hash of the event's content (16 hex digits)
    int sequence = 0;           ///< RFC 5545 SEQUENCE: 0 when first written, +1 per change
    std::int64_t changed_s = 0; ///< Unix seconds, UTC: when the content last changed
};

/// UID -> the event's state.
using CalendarState = std::map<std::string, CalendarEventState>;

/// The state of one event in this run. Unchanged content keeps the previous
/// state (so an unchanged rerun writes the same bytes). Changed content raises
/// SEQUENCE by one and stamps the change at `now_s`, or one second after the
/// previous change when that is later, so DTSTAMP never goes back (RFC 5546
/// §2.1.5: a client keeps the event with the higher SEQUENCE, then the later
/// DTSTAMP). A new event starts at SEQUENCE 0, stamped `now_s`.
CalendarEventState next_event_state(const CalendarState* previous, const std::string& uid,
                                    const std::string& content_hash, std::int64_t now_s);

/// {"UID": {"content": "…", "sequence": 0, "changed": "YYYY-MM-DDTHH:MM:SSZ"}, …}
std::string calendar_state_to_json(const CalendarState& state);
/// The state from calendar_state_to_json's text; entries that do not have
/// that shape are skipped (their events then count as new), nullopt when the
/// text is not a JSON object.
std::optional<CalendarState> calendar_state_from_json(std::string_view text);

} // namespace ultrastrength

#endif
