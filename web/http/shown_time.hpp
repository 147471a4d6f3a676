#pragma once
// A time on a page: the reader's notation in the installation's zone as the text, RFC 3339 UTC
// beside it for <time datetime="..."> (issue 16, item 8).
#include <string>

#include "ca/domain/local_time.hpp"
#include "web/http/i18n.hpp"
#include "web/http/view.hpp"

namespace inkan::web {

// Japanese pages: 2027/01/06 09:00 JST; English pages: 2027-01-06 09:00 JST.
std::string shown_time(Timestamp t, const TimeZone& zone, Lang lang, TimeStyle style = TimeStyle::Minute);
// Sets `key` (shown_time) and `key_utc` (RFC 3339 UTC) for `<time datetime="{{key_utc}}">{{key}}</time>`.
View& set_time(View& view, const std::string& key, Timestamp t, const TimeZone& zone, Lang lang,
               TimeStyle style = TimeStyle::Minute);

}  // namespace inkan::web
