// Every writer, one line each, in the order `formats` lists them.
#include "plugins/csv/csv_writer.hpp"
#include "plugins/garmin_connect/garmin_connect_writer.hpp"
#include "plugins/garmin_fit/garmin_fit_writer.hpp"
#include "plugins/ics/ics_writer.hpp"
#include "plugins/trainingpeaks/trainingpeaks_writer.hpp"
#include "plugins/writer.hpp"

namespace ultrastrength {

void register_all_writers(WriterRegistry& registry) {
    registry.add(make_garmin_fit_writer());
    registry.add(make_garmin_connect_writer());
    registry.add(make_trainingpeaks_writer());
    registry.add(make_ics_writer());
    registry.add(make_csv_writer());
}

} // namespace ultrastrength
