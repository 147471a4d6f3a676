#include "web/http/shown_time.hpp"

namespace inkan::web {

std::string shown_time(Timestamp t, const TimeZone& zone, Lang lang, TimeStyle style) {
  return format_local(t, zone, lang == Lang::Ja ? TimeNotation::Japanese : TimeNotation::English, style);
}

View& set_time(View& view, const std::string& key, Timestamp t, const TimeZone& zone, Lang lang, TimeStyle style) {
  return view.set(key, shown_time(t, zone, lang, style)).set(key + "_utc", format_rfc3339(t));
}

}  // namespace inkan::web
