// Per-area route registration; register_routes() in api.h calls them all.
#pragma once

#include "http/api/api.h"

namespace baomi::http::api {

void register_session_routes(Router& router, Api& api);
void register_user_routes(Router& router, Api& api);
void register_document_routes(Router& router, Api& api);
void register_audit_routes(Router& router, Api& api);
void register_request_routes(Router& router, Api& api);
void register_copy_routes(Router& router, Api& api);
void register_service_routes(Router& router, Api& api);
void register_handover_routes(Router& router, Api& api);
void register_customer_routes(Router& router, Api& api);
void register_report_routes(Router& router, Api& api);
void register_investigation_routes(Router& router, Api& api);
void register_policy_routes(Router& router, Api& api);
void register_area_routes(Router& router, Api& api);        // S11
void register_department_routes(Router& router, Api& api);  // A2
void register_key_routes(Router& router, Api& api);         // KEK rotation
// The embedded web console under "/" (no Api: it serves static files only).
void register_console_routes(Router& router);

}  // namespace baomi::http::api
