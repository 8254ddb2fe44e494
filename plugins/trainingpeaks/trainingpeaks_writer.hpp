// TrainingPeaks planned workouts (output-formats.md §3): the Partner API's
// planned-workout JSON (WorkoutType strength, the prescription as text in
// Description) and the same prescription as plain text for pasting.
#ifndef ULTRASTRENGTH_PLUGINS_TRAININGPEAKS_TRAININGPEAKS_WRITER_HPP
#define ULTRASTRENGTH_PLUGINS_TRAININGPEAKS_TRAININGPEAKS_WRITER_HPP

#include "plugins/writer.hpp"

#include <memory>

namespace ultrastrength {

std::unique_ptr<Writer> make_trainingpeaks_writer();

} // namespace ultrastrength

#endif
