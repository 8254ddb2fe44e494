#include "plugins/ics/ics_writer.hpp"

#include "plugins/prescription.hpp"

#include <cstdio>
#include <string>

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

class IcsWriter final : public Writer {
public:
    std::string_view name() const noexcept override { return "ics"; }
    std::string_view description() const noexcept override {
        return "iCalendar (RFC 5545) with an all-day event per session and the full prescription; "
               "re-imports update events (stable UIDs)";
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
        std::string out;
        out += ics_fold("BEGIN:VCALENDAR");
        out += ics_fold("VERSION:2.0");
        out += ics_fold("PRODID:-//ultrastrength//strength plan//EN");
        out += ics_fold("CALSCALE:GREGORIAN");
        out += ics_fold("METHOD:PUBLISH");
        const std::string who = plan.athlete_name.empty() ? plan.athlete_id : plan.athlete_name;
        out += ics_fold("X-WR-CALNAME:" +
                        ics_escape(options.calendar_name
                                       ? *options.calendar_name
                                       : "Strength" + (who.empty() ? "" : " \u2013 " + who)));
        // DTSTAMP must be a UTC date-time; the plan's start keeps the file
        // identical between runs of the same plan (no clock).
        const std::string stamp = compact_date(plan.start) + "T000000Z";
        for (const auto& session : plan.sessions) {
            // Same athlete and session id -> same UID, so a calendar updates
            // the event on re-import instead of adding a second one. ".invalid"
            // is reserved (RFC 2606) and can never clash with a real host.
            char uid[64];
            std::snprintf(uid, sizeof uid, "%016llx",
                          static_cast<unsigned long long>(
                              detail::fnv1a64(plan.athlete_id + '\n' + session.id)));
            const auto next_day = civil_from_days(days_from_civil(session.date) + 1);
            out += ics_fold("BEGIN:VEVENT");
            out += ics_fold(std::string("UID:") + uid + "@ultrastrength.invalid");
            out += ics_fold("DTSTAMP:" + stamp);
            out += ics_fold("DTSTART;VALUE=DATE:" + compact_date(session.date));
            out += ics_fold("DTEND;VALUE=DATE:" + compact_date(next_day));
            out += ics_fold("SUMMARY:" + ics_escape(session.title));
            out +=
                ics_fold("DESCRIPTION:" +
                         ics_escape(detail::prescription_text(plan, session, options.weight_unit)));
            out += ics_fold("CATEGORIES:Strength," + ics_escape(to_string(session.phase)));
            // All-day training blocks should not mark the day busy.
            out += ics_fold("TRANSP:TRANSPARENT");
            out += ics_fold("END:VEVENT");
        }
        out += ics_fold("END:VCALENDAR");
        sink.put(file, out);
    }
};

} // namespace

std::unique_ptr<Writer> make_ics_writer() {
    return std::make_unique<IcsWriter>();
}

} // namespace ultrastrength
