#include "http/api/routes.h"

namespace baomi::http::api {

void register_routes(Router& router, Api& api) {
  register_service_routes(router, api);
  register_session_routes(router, api);
  register_user_routes(router, api);
  register_document_routes(router, api);
  register_audit_routes(router, api);
  register_request_routes(router, api);
  register_copy_routes(router, api);
  register_handover_routes(router, api);
  register_customer_routes(router, api);
  register_report_routes(router, api);
  register_investigation_routes(router, api);
  register_policy_routes(router, api);
  register_area_routes(router, api);
  register_department_routes(router, api);
  register_key_routes(router, api);
  register_console_routes(router);
}

}  // namespace baomi::http::api
