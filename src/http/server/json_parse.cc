// parse_json_object: Boost.JSON's basic_parser with a handler that builds the value (as
// boost::json::parser does) and also refuses duplicate keys, which different readers would
// resolve differently.
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "http/server/json_input.h"

namespace baomi::http {
namespace {

namespace json = boost::json;

struct StrictHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;
  std::vector<std::unordered_set<std::string>> keys;  // one set per open object
  std::string key_part;
  std::string duplicate;  // set when parsing stopped on a duplicate key

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    keys.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    keys.pop_back();
    st.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_part.append(s.data(), s.size());
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_part.append(s.data(), s.size());
    if (!keys.back().insert(key_part).second) {
      duplicate = key_part;
      ec = make_error_code(boost::system::errc::invalid_argument);
      return false;
    }
    key_part.clear();
    st.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

Error invalid_json(std::string message) {
  return Error::invalid("invalid_json", std::move(message));
}

}  // namespace

Result<JsonObject> parse_json_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return invalid_json("request body is empty; a JSON object is required");
  }
  json::parse_options opts;  // strict: no comments, trailing commas or invalid UTF-8
  opts.max_depth = 32;
  json::basic_parser<StrictHandler> parser(opts);
  parser.handler().st.reset();
  json::error_code ec;
  std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
  if (!ec && used < body.size()) ec = json::error::extra_data;
  if (ec) {
    if (!parser.handler().duplicate.empty()) {
      return invalid_json("duplicate field '" + parser.handler().duplicate.substr(0, 64) + "'");
    }
    return invalid_json("request body is not valid JSON (" + ec.message() + " at byte " +
                        std::to_string(used) + ")");
  }
  json::value v = parser.handler().st.release();
  if (!v.is_object()) return invalid_json("request body must be a JSON object");
  return std::move(v.as_object());
}

}  // namespace baomi::http
