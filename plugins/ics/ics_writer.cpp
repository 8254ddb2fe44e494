#include "plugins/ics/ics_writer.hpp"

#include "plugins/prescription.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace ultrastrength {

namespace detail {

std::string ics_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case ';':
            out += "\\;";
            break;
        case ',':
            out += "\\,";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                break; // CRLF becomes one \n
            }
            out += "\\n";
            break;
        default:
            // Other control characters are not allowed in TEXT (RFC 5545 §3.3.11).
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') {
                out += c;
            }
        }
    }
    return out;
}

std::string ics_fold(std::string_view line) {
    constexpr std::size_t max_octets = 75;
    std::string out;
    std::size_t start = 0;
    std::size_t room = max_octets;
    while (line.size() - start > room) {
        std::size_t end = start + room;
        while (end > start && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) {
            --end;
        }
        out.append(line.substr(start, end - start));
        out += "\r\n ";
        start = end;
        room = max_octets - 1; // the leading space counts
    }
    out.append(line.substr(start));
    out += "\r\n";
    return out;
}

} // namespace detail

namespace {

std::string compact_date(CivilDate date) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d%02u%02u", date.year, date.month, date.day);
    return buffer;
}

/// RFC 5545 §3.3.5 UTC date-time: "20261201T000000Z".
std::string compact_utc(std::int64_t unix_s) {
    const std::int64_t days = unix_s >= 0 ? unix_s / 86400 : (unix_s - 86399) / 86400;
    const std::int64_t in_day = unix_s - days * 86400;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%sT%02d%02d%02dZ",
                  compact_date(civil_from_days(days)).c_str(), static_cast<int>(in_day / 3600),
                  static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
    return buffer;
}

std::string content_hash(std::string_view content) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%016llx",
                  static_cast<unsigned long long>(detail::fnv1a64(content)));
    return buffer;
}

struct EventText {
    std::string uid;
    std::string content; ///< the folded lines that make up what the event says
};

std::vector<EventText> event_texts(const Plan& plan, WeightUnit unit) {
    using detail::ics_escape;
    using detail::ics_fold;
    std::vector<EventText> out;
    for (const auto& session : plan.sessions) {
        // Same athlete and session id -> same UID, so a calendar updates
        // the event on re-import instead of adding a second one. ".invalid"
        // is reserved (RFC 2606) and can never clash with a real host.
        char uid[64];
        std::snprintf(
            uid, sizeof uid, "%016llx@ultrastrength.invalid",
            static_cast<unsigned long long>(detail::fnv1a64(plan.athlete_id + '\n' + session.id)));
        const auto next_day = civil_from_days(days_from_civil(session.date) + 1);
        std::string content;
        content += ics_fold("DTSTART;VALUE=DATE:" + compact_date(session.date));
        content += ics_fold("DTEND;VALUE=DATE:" + compact_date(next_day));
        content += ics_fold("SUMMARY:" + ics_escape(session.title));
        content +=
            ics_fold("DESCRIPTION:" + ics_escape(detail::prescription_text(plan, session, unit)));
        content += ics_fold("CATEGORIES:Strength," + ics_escape(to_string(session.phase)));
        // All-day training blocks should not mark the day busy.
        content += ics_fold("TRANSP:TRANSPARENT");
        out.push_back({uid, std::move(content)});
    }
    return out;
}

/// The time a changed event is stamped with: the start of the day the plan
/// is written on (UTC), so the same inputs give the same bytes.
std::int64_t change_time(const Plan& plan, const WriteOptions& options) {
    const auto today =
        options.today ? days_from_civil(*options.today) : days_from_civil(plan.start) - 1;
    return today * 86400;
}

class IcsWriter final : public Writer {
public:
    std::string_view name() const noexcept override { return "ics"; }
    std::string_view description() const noexcept override {
        return "iCalendar (RFC 5545) with an all-day event per session and the full prescription; "
               "re-imports update events in place (stable UIDs, SEQUENCE)";
    }
    std::string_view extension() const noexcept override { return ".ics"; }

    void write(const Plan& plan, const WriteOptions& options, OutputSink& sink) const override {
        using detail::ics_escape;
        using detail::ics_fold;
        const std::string file = "ics/" + detail::athlete_stem(plan) + ".ics";
        if (plan.sessions.empty()) {
            // RFC 5545 §3.4: a calendar holds at least one component.
            sink.note(file, "the plan has no sessions; no calendar written");
            return;
        }
        const auto events = event_texts(plan, options.weight_unit);
        const auto state = ics_calendar_state(plan, options);
        std::string out;
        out += ics_fold("BEGIN:VCALENDAR");
        out += ics_fold("VERSION:2.0");
        out += ics_fold("PRODID:-//ultrastrength//strength plan//EN");
        out += ics_fold("CALSCALE:GREGORIAN");
        // No METHOD: a calendar published with METHOD:PUBLISH must name an
        // ORGANIZER (RFC 5546 §3.2.1), and a plan has none. Without METHOD the
        // file is a plain calendar (RFC 5545 §3.7.2) whose events update by
        // UID, SEQUENCE and DTSTAMP.
        const std::string who = plan.athlete_name.empty() ? plan.athlete_id : plan.athlete_name;
        out += ics_fold("X-WR-CALNAME:" +
                        ics_escape(options.calendar_name
                                       ? *options.calendar_name
                                       : "Strength" + (who.empty() ? "" : " \u2013 " + who)));
        for (const auto& event : events) {
            const auto& kept = state.at(event.uid);
            // Without METHOD, DTSTAMP is when the event's information was last
            // revised (RFC 5545 §3.8.7.2), as is LAST-MODIFIED (§3.8.7.3).
            const std::string stamp = compact_utc(kept.changed_s);
            out += ics_fold("BEGIN:VEVENT");
            out += ics_fold("UID:" + event.uid);
            out += ics_fold("DTSTAMP:" + stamp);
            out += ics_fold("LAST-MODIFIED:" + stamp);
            out += ics_fold("SEQUENCE:" + std::to_string(kept.sequence));
            out += event.content;
            out += ics_fold("END:VEVENT");
        }
        out += ics_fold("END:VCALENDAR");
        sink.put(file, out);
    }
};

} // namespace

CalendarState ics_calendar_state(const Plan& plan, const WriteOptions& options) {
    const CalendarState* previous = options.calendar_state ? &*options.calendar_state : nullptr;
    const std::int64_t now_s = change_time(plan, options);
    CalendarState out;
    for (const auto& event : event_texts(plan, options.weight_unit)) {
        out[event.uid] = next_event_state(previous, event.uid, content_hash(event.content), now_s);
    }
    return out;
}

std::unique_ptr<Writer> make_ics_writer() {
    return std::make_unique<IcsWriter>();
}

} // namespace ultrastrength
