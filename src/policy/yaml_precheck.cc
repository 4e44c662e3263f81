#include "policy/yaml_precheck.h"

#include <yaml.h>

#include <memory>
#include <string>

namespace baomi::policy {
namespace {

struct ParserDeleter {
  void operator()(yaml_parser_t* p) const {
    yaml_parser_delete(p);
    delete p;
  }
};

int line_of(const yaml_mark_t& mark) { return static_cast<int>(mark.line) + 1; }

}  // namespace

Status precheck_yaml(std::string_view text, const SourceFile& src) {
  std::unique_ptr<yaml_parser_t, ParserDeleter> parser(new yaml_parser_t);
  if (yaml_parser_initialize(parser.get()) == 0) {
    return Error::internal("cannot initialise the YAML parser");
  }
  yaml_parser_set_input_string(parser.get(), reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  int depth = 0;
  int documents = 0;
  for (;;) {
    yaml_event_t event;
    if (yaml_parser_parse(parser.get(), &event) == 0) {
      const std::string problem = parser->problem != nullptr ? parser->problem : "invalid YAML";
      return src.error(line_of(parser->problem_mark), "YAML syntax error: " + problem);
    }
    const yaml_event_type_t type = event.type;
    const int line = line_of(event.start_mark);
    const bool anchored =
        (type == YAML_SCALAR_EVENT && event.data.scalar.anchor != nullptr) ||
        (type == YAML_SEQUENCE_START_EVENT && event.data.sequence_start.anchor != nullptr) ||
        (type == YAML_MAPPING_START_EVENT && event.data.mapping_start.anchor != nullptr);
    const bool tagged =
        (type == YAML_SCALAR_EVENT && event.data.scalar.tag != nullptr) ||
        (type == YAML_SEQUENCE_START_EVENT && event.data.sequence_start.tag != nullptr) ||
        (type == YAML_MAPPING_START_EVENT && event.data.mapping_start.tag != nullptr);
    yaml_event_delete(&event);
    if (tagged) {
      return src.error(line, "YAML tags ('!…') are not allowed in a policy file");
    }
    if (type == YAML_ALIAS_EVENT || anchored) {
      return src.error(line,
                       "anchors and aliases are not allowed in a policy file: spell the "
                       "rule out where it applies");
    }
    if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
      if (++depth > kMaxPolicyNesting) {
        return src.error(line,
                         "nesting deeper than " + std::to_string(kMaxPolicyNesting) + " levels");
      }
    }
    if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) --depth;
    // yaml-cpp's LoadAll can loop for ever, making empty documents, on text libyaml reads as
    // one (fuzz/open-findings was such a text): count the documents here, and the loader reads
    // exactly one with YAML::Load.
    if (type == YAML_DOCUMENT_START_EVENT && ++documents > 1) {
      return src.error(line, "a policy file holds exactly one YAML document");
    }
    if (type == YAML_STREAM_END_EVENT) return {};
  }
}

}  // namespace baomi::policy
