#include "converters/features.hpp"

namespace ultrastrength {

struct FeatureBuilder::Impl {
    FeatureSettings settings;
    StreamFeatures out;
};

FeatureBuilder::FeatureBuilder(FeatureSettings settings) : m_impl(std::make_unique<Impl>()) {
    m_impl->settings = settings;
}

void FeatureBuilder::begin_segment() noexcept {}

void FeatureBuilder::add(const Sample& sample) {
    ++m_impl->out.samples;
    if (!std::isnan(sample.time_s)) {
        ++m_impl->out.timed_samples;
        if (!m_impl->out.first_time_s) {
            m_impl->out.first_time_s = sample.time_s;
        }
        m_impl->out.last_time_s = sample.time_s;
    }
}

StreamFeatures FeatureBuilder::finish() { return m_impl->out; }

void apply_stream_features(ActivityFeatures& activity, const StreamFeatures& stream) {
    activity.records = stream.samples;
}

} // namespace ultrastrength
