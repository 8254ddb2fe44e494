// An iCalendar file (RFC 5545) with one all-day event per session, for
// coaches and any calendar (output-formats.md §4.2).
#ifndef ULTRASTRENGTH_PLUGINS_ICS_ICS_WRITER_HPP
#define ULTRASTRENGTH_PLUGINS_ICS_ICS_WRITER_HPP

#include "plugins/writer.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace ultrastrength {

std::unique_ptr<Writer> make_ics_writer();

/// The calendar state the ICS writer writes `plan` with, given the previous
/// run's (options.calendar_state) and the day (options.today): what the
/// output folder keeps for the next run.
CalendarState ics_calendar_state(const Plan& plan, const WriteOptions& options);

namespace detail {
/// RFC 5545 §3.3.11 TEXT escaping: '\\', ';', ',' and newlines.
std::string ics_escape(std::string_view text);
/// RFC 5545 §3.1 folding: lines of at most 75 octets, never splitting a UTF-8
/// sequence, continuation lines start with one space; every line ends in CRLF.
std::string ics_fold(std::string_view line);
} // namespace detail

} // namespace ultrastrength

#endif
