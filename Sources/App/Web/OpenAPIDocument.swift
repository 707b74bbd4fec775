import Foundation
import WellplanCore

/// The OpenAPI 3.1 description of `/api/v1`, built from the same field lists the server
/// validates with, so the document cannot drift from what the server does.
enum OpenAPIDocument {
    /// Built on each request: admins' code-list edits change the enumerations.
    static var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(document), as: UTF8.self)
    }

    static var document: JSONValue {
        var paths: JSONValue = [:]
        var schemas: JSONValue = [
            "Error": object(
                [
                    "error": ["type": "boolean"], "reason": ["type": "string"],
                    "problems": [
                        "type": "array",
                        "items": object(
                            ["field": ["type": "string"], "message": ["type": "string"]],
                            required: ["field", "message"]),
                    ],
                ], required: ["error", "reason"]),
            "Metadata": object(
                ["page": ["type": "integer"], "per": ["type": "integer"], "total": ["type": "integer"]],
                required: ["page", "per", "total"]),
            "Progress": ["type": "object", "description": "A figure with its formula and the parts it is made of."],
            "ComplianceReport": [
                "type": "object", "description": "Publish-by and review-due deadlines and advisory seat coverage.",
            ],
            "PlanVersion": object(
                [
                    "id": uuid, "planId": uuid, "number": ["type": "integer"], "note": ["type": ["string", "null"]],
                    "publishedAt": ["type": "string", "format": "date-time"], "publishedBy": ["type": "string"],
                ],
                required: ["id", "planId", "number", "publishedAt", "publishedBy"]),
            "PlanVersionWithSnapshot": object(
                ["version": ref("PlanVersion"), "snapshot": ["type": "object"]], required: ["version", "snapshot"]),
            "StatusChange": ["type": "object"],
            "Health": object(
                ["status": ["type": "string"], "database": ["type": "string"], "driver": ["type": "string"]],
                required: ["status", "database", "driver"]),
        ]
        for kind in RecordKind.allCases {
            let name = schemaName(kind)
            var input: JSONValue = [:]
            for field in kind.fields { input[field.name] = schema(field) }
            let required = kind.fields.filter(\.isRequired).map(\.name)
            schemas[name + "Input"] = object(input, required: required, closed: true)
            schemas[name] = object(input.merging(["id": uuid]) { a, _ in a }, required: ["id"] + required)
            schemas[name + "List"] = object(
                ["items": ["type": "array", "items": ref(name)], "metadata": ref("Metadata")],
                required: ["items", "metadata"])
            if kind.hasOwnRoutes { continue }
            let referenceFilters: [JSONValue] = kind.fields.compactMap { field in
                guard case .reference = field.kind else { return nil }
                return ["name": .string(field.name), "in": "query", "required": false, "schema": uuid]
            }
            paths["/api/v1/\(kind.path)"] = [
                "get": operation(
                    "List \(kind.path)", parameters: pagingParameters + referenceFilters,
                    responses: ["200": body(ref(name + "List")), "422": error, "401": error, "403": error]),
                "post": operation(
                    "Create a \(kind.rawValue)", body: ref(name + "Input"),
                    responses: [
                        "201": body(ref(name)), "400": error, "401": error, "403": error, "413": error, "415": error,
                        "422": error,
                    ]),
            ]
            paths["/api/v1/\(kind.path)/{id}"] = [
                "parameters": [idParameter],
                "get": operation(
                    "Get a \(kind.rawValue)",
                    responses: ["200": body(ref(name)), "401": error, "403": error, "404": error]),
                "put": operation(
                    "Replace a \(kind.rawValue)", body: ref(name + "Input"),
                    responses: [
                        "200": body(ref(name)), "400": error, "401": error, "403": error, "404": error, "413": error,
                        "415": error, "422": error,
                    ]),
                "delete": operation(
                    "Delete a \(kind.rawValue)",
                    responses: [
                        "204": ["description": "Deleted"], "401": error, "403": error,
                        "404": error, "409": error,
                    ]),
            ]
        }
        let planId: JSONValue = ["name": "id", "in": "path", "required": true, "schema": uuid]
        paths["/api/v1/plans/{id}/progress"] = [
            "parameters": [planId],
            "get": operation(
                "The plan's progress roll-up with formulas",
                responses: ["200": body(ref("Progress")), "401": error, "403": error, "404": error]),
        ]
        paths["/api/v1/plans/{id}/compliance"] = [
            "parameters": [planId],
            "get": operation(
                "The plan's compliance with the Act",
                responses: ["200": body(ref("ComplianceReport")), "401": error, "403": error, "404": error]),
        ]
        paths["/api/v1/plans/{id}/versions"] = [
            "parameters": [planId],
            "get": operation(
                "Published versions",
                responses: [
                    "200": body(["type": "array", "items": ref("PlanVersion")]), "401": error,
                    "403": error, "404": error,
                ]),
            "post": operation(
                "Publish (freeze) a new version",
                body: object(["note": ["type": ["string", "null"], "maxLength": 500]], closed: true),
                bodyRequired: false,
                responses: [
                    "201": body(ref("PlanVersion")), "400": error, "401": error, "403": error, "404": error,
                    "415": error, "422": error,
                ]),
        ]
        paths["/api/v1/plans/{id}/versions/{number}"] = [
            "parameters": [planId, ["name": "number", "in": "path", "required": true, "schema": ["type": "integer"]]],
            "get": operation(
                "One published version with its frozen snapshot",
                responses: ["200": body(ref("PlanVersionWithSnapshot")), "401": error, "403": error, "404": error]),
        ]
        paths["/api/v1/plans/{id}/status-changes"] = [
            "parameters": [planId],
            "get": operation(
                "Status timeline of the plan's projects and action items",
                responses: [
                    "200": body(["type": "array", "items": ref("StatusChange")]), "401": error, "403": error,
                    "404": error,
                ]),
        ]
        situationTablePaths(&paths, &schemas)
        consultationPaths(&paths, &schemas)
        engagementPaths(&paths, &schemas)
        placesPaths(&paths, &schemas)
        indicatorPaths(&paths, &schemas)
        reportPaths(&paths, &schemas)
        accountPaths(&paths, &schemas)
        let nullableText: JSONValue = ["type": ["string", "null"]]
        let time: JSONValue = ["type": "string", "format": "date-time"]
        schemas["Job"] = object(
            [
                "id": uuid, "kind": ["type": "string"],
                "state": ["enum": ["queued", "running", "succeeded", "failed"]],
                "progress": ["type": "number", "minimum": 0, "maximum": 1], "message": nullableText,
                "result": nullableText,
                "resultHref": nullableText, "error": nullableText, "attempts": ["type": "integer"], "createdAt": time,
                "startedAt": ["type": ["string", "null"], "format": "date-time"],
                "finishedAt": ["type": ["string", "null"], "format": "date-time"],
            ], required: ["id", "kind", "state", "progress", "attempts", "createdAt"])
        paths["/api/v1/jobs/{id}"] = [
            "parameters": [idParameter],
            "get": operation(
                "A job (an import, a backup, a report build): its state, progress, result or error; poll it after a 202",
                responses: ["200": body(ref("Job")), "401": error, "403": error, "404": error]),
        ]
        paths["/healthz"] = [
            "get": [
                "summary": "Health and database state", "security": [],
                "responses": ["200": body(ref("Health")), "503": body(ref("Health"))],
            ]
        ]
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Wellplan API", "version": "1.0.0",
                "description":
                    "Community Safety and Well-Being plan workspace. Errors are JSON with the reason and the field.",
            ],
            "security": [["bearer": []]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": schemas,
            ],
        ]
    }

    /// Discussions move only through their events, and only their table's members see them.
    static func situationTablePaths(_ paths: inout JSONValue, _ schemas: inout JSONValue) {
        let name = schemaName(.situationDiscussion)
        var input: JSONValue = ["tableId": schema(SituationDiscussion.fields[0].description)]
        for field in SituationDiscussion.describingFields { input[field.name] = schema(field.description) }
        let required = ["tableId"] + SituationDiscussion.describingFields.filter(\.isRequired).map(\.name)
        schemas[name + "Input"] = object(input, required: required, closed: true)
        schemas[name + "Description"] = object(
            input.removing("tableId"), required: Array(required.dropFirst()),
            closed: true)
        schemas["DiscussionEvent"] = object(
            [
                "event": [
                    "enum": [
                        "accept", "reject", "return", "present_again", "plan_intervention", "record_first_contact",
                        "conclude",
                    ]
                ],
                "acceptedOn": ["type": "string", "format": "date"], "leadOrganizationId": uuid,
                "assistingOrganizationIds": ["type": "array", "items": uuid],
                "firstContactPlannedOn": ["type": "string", "format": "date"],
                "firstContactOn": ["type": "string", "format": "date"],
                "conclusionOutcome": ["enum": JSONValue(CodeList.conclusionOutcomes.codes)],
                "conclusionReason": ["enum": JSONValue(CodeList.conclusionReasons.codes)],
                "concludedOn": ["type": "string", "format": "date"],
            ], required: ["event"], closed: true)
        var identifiers: JSONValue = ["reason": ["type": "string", "minLength": 5, "maxLength": 300]]
        for field in LimitedIdentifiers.fields { identifiers[field.name] = schema(field) }
        schemas["CompartmentInput"] = object(identifiers, required: ["reason"], closed: true)
        schemas["CompartmentReason"] = object(
            ["reason": ["type": "string", "minLength": 5, "maxLength": 300]], required: ["reason"], closed: true)
        schemas["LimitedIdentifiers"] = object(
            .object(Dictionary(uniqueKeysWithValues: LimitedIdentifiers.fields.map { ($0.name, schema($0)) })))
        schemas["MeetingAgenda"] = [
            "type": "object", "description": "New, open and overdue discussions and mobilization time.",
        ]
        schemas["DiscussionStatistics"] = [
            "type": "object", "description": "Fixed tables through the disclosure policy; withheld cells are null.",
        ]
        let denied: JSONValue = ["401": error, "403": error, "404": error]
        let writeErrors = denied.merging(["400": error, "409": error, "413": error, "415": error, "422": error]) {
            a, _ in a
        }
        let statusFilter: JSONValue = [
            "name": "status", "in": "query", "required": false,
            "schema": ["enum": JSONValue(CodeList.discussionStatuses.codes)],
        ]
        let tableFilter: JSONValue = ["name": "tableId", "in": "query", "required": false, "schema": uuid]
        let year: JSONValue = [
            "name": "year", "in": "query", "required": false,
            "schema": ["type": "integer", "minimum": 2000, "maximum": 2100],
        ]
        let range: [JSONValue] = ["from", "to"].map {
            ["name": $0, "in": "query", "required": false, "schema": ["type": "string", "format": "date"]]
        }
        // A released period: a year or a quarter (statistics beyond a table come out for these only).
        let period: JSONValue = [
            "name": "period", "in": "query", "required": false,
            "schema": ["type": "string", "pattern": "^[0-9]{4}(-Q[1-4])?$"],
        ]
        paths["/api/v1/discussions"] = [
            "get": operation(
                "Discussions of the tables the caller sits on",
                parameters: pagingParameters + [tableFilter, statusFilter],
                responses: ["200": body(ref(name + "List")), "401": error, "403": error, "422": error]),
            "post": operation(
                "Present a discussion (Filter 2, de-identified)", body: ref(name + "Input"),
                responses: writeErrors.merging(["201": body(ref(name))]) { a, _ in a }),
        ]
        paths["/api/v1/discussions/{id}"] = [
            "parameters": [idParameter],
            "get": operation("Get a discussion", responses: denied.merging(["200": body(ref(name))]) { a, _ in a }),
            "put": operation(
                "Change what describes a discussion", body: ref(name + "Description"),
                responses: writeErrors.merging(["200": body(ref(name))]) { a, _ in a }),
        ]
        paths["/api/v1/discussions/{id}/events"] = [
            "parameters": [idParameter],
            "post": operation(
                "Move a discussion through its lifecycle", body: ref("DiscussionEvent"),
                responses: writeErrors.merging(["200": body(ref(name))]) { a, _ in a }),
        ]
        paths["/api/v1/discussions/{id}/compartment/read"] = [
            "parameters": [idParameter],
            "post": operation(
                "Read the limited identifiers (lead and assisting agencies only; audited with the reason)",
                body: ref("CompartmentReason"),
                responses: writeErrors.merging(["200": body(ref("LimitedIdentifiers"))]) { a, _ in a }),
        ]
        paths["/api/v1/discussions/{id}/compartment"] = [
            "parameters": [idParameter],
            "put": operation(
                "Seal the limited identifiers (lead and assisting agencies only; audited with the reason)",
                body: ref("CompartmentInput"),
                responses: writeErrors.merging(["204": ["description": "Sealed"]]) { a, _ in a }),
        ]
        paths["/api/v1/tables/{id}/meeting"] = [
            "parameters": [idParameter],
            "get": operation(
                "The table's meeting view", responses: denied.merging(["200": body(ref("MeetingAgenda"))]) { a, _ in a }
            ),
        ]
        let entry = object(
            [
                "code": ["type": "string"], "en": ["type": "string"], "fr": ["type": "string"],
                "group": ["type": ["string", "null"]],
                "provisional": ["type": ["boolean", "null"]], "retired": ["type": ["boolean", "null"]],
            ], required: ["code", "en", "fr"])
        schemas["CodeList"] = object(
            [
                "name": ["type": "string"], "version": ["type": "string"], "editable": ["type": "boolean"],
                "entries": ["type": "array", "items": entry],
            ], required: ["name", "version", "editable", "entries"])
        schemas["CodeListEditInput"] = object(
            [
                "code": ["type": "string", "pattern": "^[a-z0-9_.+-]{1,80}$"],
                "en": ["type": "string", "minLength": 1, "maxLength": 300],
                "fr": ["type": "string", "minLength": 1, "maxLength": 300], "group": ["type": ["string", "null"]],
                "provisional": ["type": "boolean"], "retired": ["type": "boolean"],
            ],
            required: ["code", "en", "fr"], closed: true)
        let listName: JSONValue = ["name": "name", "in": "path", "required": true, "schema": ["type": "string"]]
        paths["/api/v1/code-lists"] = [
            "get": operation(
                "Every code list as it stands",
                responses: ["200": body(["type": "array", "items": ref("CodeList")]), "401": error, "403": error])
        ]
        paths["/api/v1/code-lists/{name}"] = [
            "parameters": [listName],
            "get": operation(
                "One code list with its history of edits",
                responses: denied.merging(["200": body(["type": "object"])]) { a, _ in a }),
        ]
        paths["/api/v1/code-lists/{name}/entries"] = [
            "parameters": [listName],
            "post": operation(
                "Add, relabel, confirm or retire an entry (admins; situation-table lists only)",
                body: ref("CodeListEditInput"),
                responses: writeErrors.merging(["201": body(ref("CodeList"))]) { a, _ in a }),
        ]
        let mapping: JSONValue = [
            "name": "map", "in": "query", "required": false, "style": "form", "explode": true,
            "description":
                "Where a column goes: `<column code>=<question id | skip | auto>`, once per column; columns left out go by code.",
            "schema": ["type": "array", "items": ["type": "string", "pattern": "^.+=.+$"]],
        ]
        var importPreview = operation(
            "Preview a survey-tool export (Google Forms, LimeSurvey, KoboToolbox, Qualtrics): its columns and where they go",
            parameters: [mapping],
            responses: writeErrors.merging(["200": body(["type": "object"])]) { a, _ in a })
        importPreview["requestBody"] = ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]]
        paths["/api/v1/consultations/{id}/responses/preview"] = ["parameters": [idParameter], "post": importPreview]
        var importRun = operation(
            "Import a survey-tool export's responses, all or nothing; responses already imported are left as they are",
            parameters: [["name": "methodId", "in": "query", "required": false, "schema": uuid], mapping],
            responses: writeErrors.merging(["201": body(["type": "object"])]) { a, _ in a })
        importRun["requestBody"] = ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]]
        paths["/api/v1/consultations/{id}/responses"] = ["parameters": [idParameter], "post": importRun]
        paths["/api/v1/tables/{id}/discussions.csv"] = [
            "parameters": [idParameter],
            "get": operation(
                "The table's discussions as an RTD CSV (one row per discussion; redacted fields of rejected discussions read N/A)",
                responses: denied.merging([
                    "200": ["description": "CSV", "content": ["text/csv": ["schema": ["type": "string"]]]]
                ]) { a, _ in a }),
        ]
        var importOp = operation(
            "Import a table's earlier history from an RTD CSV, all or nothing",
            responses: writeErrors.merging([
                "201": body(object(["imported": ["type": "integer"]], required: ["imported"]))
            ]) { a, _ in a })
        importOp["requestBody"] = ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]]
        paths["/api/v1/tables/{id}/discussions/import"] = ["parameters": [idParameter], "post": importOp]
        paths["/api/v1/tables/{id}/statistics"] = [
            "parameters": [idParameter],
            "get": operation(
                "A situation table's statistics: released periods for partners, any days (from, to) for its members",
                parameters: [period, year] + range,
                responses: denied.merging(["200": body(ref("DiscussionStatistics")), "422": error]) { a, _ in a }),
        ]
        paths["/api/v1/plans/{id}/situation-statistics"] = [
            "parameters": [idParameter],
            "get": operation(
                "Released statistics of the plan's situation tables that share them, for partners",
                parameters: [period, year],
                responses: denied.merging(["200": body(ref("DiscussionStatistics")), "422": error]) { a, _ in a }),
        ]
        paths["/api/v1/public/situation-tables/{id}/statistics"] = [
            "parameters": [idParameter],
            "get": [
                "summary": "A situation table's released statistics, where it shares them with the public",
                "security": [],
                "parameters": [period, year],
                "responses": ["200": body(ref("DiscussionStatistics")), "404": error, "422": error],
            ],
        ]
    }

    /// A consultation's codebook, coding and analysis.
    static func consultationPaths(_ paths: inout JSONValue, _ schemas: inout JSONValue) {
        let denied: JSONValue = ["401": error, "403": error, "404": error]
        let writeErrors = denied.merging(["400": error, "409": error, "413": error, "415": error, "422": error]) {
            a, _ in a
        }
        schemas["CodingInput"] = object(
            [
                "answerId": uuid, "codeId": uuid, "excerpt": ["type": ["string", "null"], "maxLength": 20_000],
                "start": ["type": ["integer", "null"], "minimum": 0],
            ], required: ["answerId", "codeId"], closed: true)
        schemas["Coding"] = object(
            [
                "id": uuid, "answerId": uuid, "codeId": uuid, "coderId": uuid, "start": ["type": "integer"],
                "length": ["type": "integer"],
                "excerpt": ["type": "string"],
            ], required: ["id", "answerId", "codeId", "coderId", "start", "length", "excerpt"])
        schemas["ThemeFrequency"] = object(
            [
                "themeId": uuid, "responses": ["type": "integer"], "excerpts": ["type": "integer"],
                "byMethod": ["type": "object", "additionalProperties": ["type": "integer"]],
                "byAudienceGroup": ["type": "object", "additionalProperties": ["type": "integer"]],
            ], required: ["themeId", "responses", "excerpts", "byMethod", "byAudienceGroup"])
        schemas["ConsultationSummary"] = [
            "type": "object",
            "description":
                "Methods with counts, themes by section with codes, quotes and what was done, priority areas with actions.",
        ]
        let format: JSONValue = [
            "name": "format", "in": "query", "required": false, "schema": ["enum": ["json", "csv", "qdc"]],
        ]
        var importCodebook = operation(
            "Add a codebook's new codes (CSV with a path column, or a REFI-QDA .qdc), all or nothing",
            responses: writeErrors.merging(["201": body(object(["added": ["type": "integer"]], required: ["added"]))]) {
                a, _ in a
            })
        importCodebook["requestBody"] = [
            "required": true,
            "content": ["text/csv": ["schema": ["type": "string"]], "application/xml": ["schema": ["type": "string"]]],
        ]
        paths["/api/v1/consultations/{id}/codebook"] = [
            "parameters": [idParameter],
            "get": operation(
                "The codebook as an outline (JSON), a CSV or a REFI-QDA codebook", parameters: [format],
                responses: denied.merging(["200": body(["type": "array", "items": ["type": "object"]]), "422": error]) {
                    a, _ in a
                }),
            "post": importCodebook,
        ]
        paths["/api/v1/consultations/{id}/answers"] = [
            "parameters": [idParameter],
            "get": operation(
                "Answers to code, with their codings",
                parameters: pagingParameters + [
                    ["name": "question", "in": "query", "required": false, "schema": uuid]
                ],
                responses: denied.merging(["200": body(["type": "object"]), "422": error]) { a, _ in a }),
        ]
        paths["/api/v1/consultations/{id}/answers/{answer}/finished"] = [
            "parameters": [idParameter, ["name": "answer", "in": "path", "required": true, "schema": uuid]],
            "post": operation(
                "The signed-in coder has finished an answer: another coder's codings of it are shown once both have finished it, and theirs are kept as they are",
                responses: writeErrors.merging(["204": ["description": "Finished"]]) { a, _ in a }),
        ]
        paths["/api/v1/consultations/{id}/codings"] = [
            "parameters": [idParameter],
            "post": operation(
                "Code an excerpt of an answer (the signed-in coder's own coding)", body: ref("CodingInput"),
                responses: writeErrors.merging(["201": body(ref("Coding"))]) { a, _ in a }),
        ]
        paths["/api/v1/consultations/{id}/codings/{coding}"] = [
            "parameters": [idParameter, ["name": "coding", "in": "path", "required": true, "schema": uuid]],
            "delete": operation(
                "Remove a coding: one's own, or any for a coordinator",
                responses: denied.merging(["204": ["description": "Removed"]]) { a, _ in a }),
        ]
        paths["/api/v1/consultations/{id}/theme-frequencies"] = [
            "parameters": [idParameter],
            "get": operation(
                "Responses raising each theme, overall, by method and by audience group",
                responses: denied.merging(["200": body(["type": "array", "items": ref("ThemeFrequency")])]) { a, _ in a
                }),
        ]
        paths["/api/v1/consultations/{id}/agreement"] = [
            "parameters": [idParameter],
            "get": operation(
                "For each pair of coders, over the answers both finished: Cohen's kappa for all codes, by question and by code, with "
                    + "the prevalence index and PABAK; and each coder's use of the codes",
                responses: denied.merging(["200": body(["type": "object"])]) { a, _ in a }),
        ]
        paths["/api/v1/consultations/{id}/summary"] = [
            "parameters": [idParameter],
            "get": operation(
                "The consultation summary",
                responses: denied.merging(["200": body(ref("ConsultationSummary"))]) { a, _ in a }),
        ]
        paths["/api/v1/public/consultations/{id}"] = [
            "parameters": [idParameter],
            "get": [
                "summary": "You said, we did: published themes and quotes, small counts withheld",
                "security": [],
                "responses": ["200": body(ref("ConsultationSummary")), "404": error],
            ],
        ]
    }

    /// Feedback forms' results and paper entry; safety plans' versions with their files.
    static func engagementPaths(_ paths: inout JSONValue, _ schemas: inout JSONValue) {
        let denied: JSONValue = ["401": error, "403": error, "404": error]
        let writeErrors = denied.merging(["400": error, "409": error, "413": error, "415": error, "422": error]) {
            a, _ in a
        }
        schemas["FeedbackResults"] = object(
            [
                "submissions": ["type": "integer"],
                "lines": [
                    "type": "array",
                    "items": object(
                        [
                            "questionId": uuid, "isLikert": ["type": "boolean"], "n": ["type": "integer"],
                            "agreed": ["type": ["integer", "null"]],
                            "percentAgree": ["type": ["integer", "null"]], "withheld": ["type": "boolean"],
                        ], required: ["questionId", "isLikert", "n", "withheld"]),
                ],
            ], required: ["submissions", "lines"])
        paths["/api/v1/feedback-forms/{id}/results"] = [
            "parameters": [idParameter],
            "get": operation(
                "A feedback form's results: % agree with n per statement, withheld below the partners' minimum",
                responses: denied.merging(["200": body(ref("FeedbackResults"))]) { a, _ in a }),
        ]
        paths["/api/v1/feedback-forms/{id}/submissions"] = [
            "parameters": [idParameter],
            "post": operation(
                "Type in one paper form: answers by question id (1–5 for statements, text for open questions)",
                body: object(
                    [
                        "answers": [
                            "type": "object", "additionalProperties": ["type": ["string", "integer"]],
                            "minProperties": 1,
                        ]
                    ], required: ["answers"],
                    closed: true),
                responses: writeErrors.merging(["201": body(["type": "object"])]) { a, _ in a }),
        ]
        schemas["SafetyPlanVersion"] = object(
            [
                "number": ["type": "integer"], "note": ["type": ["string", "null"]], "fileName": ["type": "string"],
                "size": ["type": "integer"],
                "sha256": ["type": "string"], "uploadedBy": ["type": "string"],
                "uploadedAt": ["type": "string", "format": "date-time"],
            ], required: ["number", "fileName", "size", "sha256", "uploadedBy", "uploadedAt"])
        var upload = operation(
            "Upload the next version's PDF",
            parameters: [
                ["name": "note", "in": "query", "required": false, "schema": ["type": "string", "maxLength": 1_000]],
                [
                    "name": "fileName", "in": "query", "required": false,
                    "schema": ["type": "string", "maxLength": 200],
                ],
            ],
            responses: writeErrors.merging(["201": body(ref("SafetyPlanVersion"))]) { a, _ in a })
        // Documented as octet-stream, which API tools can send; the server takes application/pdf too.
        upload["requestBody"] = [
            "required": true,
            "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]],
        ]
        paths["/api/v1/safety-plans/{id}/versions"] = [
            "parameters": [idParameter],
            "get": operation(
                "A safety plan's versions, oldest first",
                responses: denied.merging(["200": body(["type": "array", "items": ref("SafetyPlanVersion")])]) { a, _ in
                    a
                }),
            "post": upload,
        ]
        paths["/api/v1/safety-plans/{id}/versions/{number}/file"] = [
            "parameters": [
                idParameter,
                ["name": "number", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1]],
            ],
            "get": operation(
                "A version's PDF",
                responses: denied.merging([
                    "200": [
                        "description": "PDF",
                        "content": ["application/pdf": ["schema": ["type": "string", "format": "binary"]]],
                    ]
                ]) {
                    a, _ in a
                }),
        ]
    }

    /// Layers' areas from GeoJSON; incident imports and counts.
    static func placesPaths(_ paths: inout JSONValue, _ schemas: inout JSONValue) {
        let denied: JSONValue = ["401": error, "403": error, "404": error]
        let writeErrors = denied.merging(["400": error, "409": error, "413": error, "415": error, "422": error]) {
            a, _ in a
        }
        func query(
            _ name: String, _ required: Bool = false, _ schema: JSONValue = ["type": "string", "minLength": 1]
        ) -> JSONValue {
            ["name": .string(name), "in": "query", "required": .bool(required), "schema": schema]
        }
        var areas = operation(
            "Import a layer's areas from a GeoJSON FeatureCollection of polygons (WGS84); incidents already imported are assigned to them",
            parameters: [query("idProperty", true), query("nameProperty")],
            responses: writeErrors.merging([
                "201": body(object(["areas": ["type": "integer"], "incidentsAssigned": ["type": "integer"]]))
            ]) { a, _ in a })
        areas["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["type": "object"]]]]
        paths["/api/v1/layers/{id}/areas"] = [
            "parameters": [idParameter],
            "get": operation(
                "A layer's areas",
                responses: denied.merging([
                    "200": body([
                        "type": "array",
                        "items": object(["id": uuid, "code": ["type": "string"], "name": ["type": "string"]]),
                    ])
                ]) { a, _ in a }),
            "post": areas,
        ]
        var incidents = operation(
            "Check an incident CSV whole (refused with every wrong line) and queue its import as a job",
            parameters: [
                query("occurredAt", true), query("category", true), query("eventId", true), query("longitude"),
                query("latitude"), query("x"), query("y"),
                query("zone", false, ["type": "integer", "minimum": 1, "maximum": 60]), query("areaColumn"),
                query("areaLayerId", false, uuid),
                query("reportedArea"), query("unplaced", false, ["enum": ["refuse", "keep"]]),
            ],
            responses: writeErrors.merging(["202": body(object(["job": uuid], required: ["job"]))]) { a, _ in a })
        incidents["requestBody"] = ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]]
        paths["/api/v1/incidents/import"] = ["post": incidents]
        let design = [
            query("controlLayerId", true, uuid), query("controlAreaCode", true),
            query("months", false, ["type": "integer", "minimum": 1, "maximum": 60]),
            query("siteRadius", false, ["type": "number", "minimum": 10, "maximum": 5_000]),
            query("bufferWidth", false, ["type": "number", "minimum": 0, "maximum": 5_000]),
            query("seasonal", false, ["enum": ["true", "false"]]),
            query("categories"),
        ]
        paths["/api/v1/cpted-recommendations/{id}/evaluation"] = [
            "parameters": [idParameter],
            "get": operation(
                "Pre/post evaluation of an implemented recommendation: response, buffer and control counts, GE, NE, WDQ, TNE, WDD with its interval",
                parameters: design,
                responses: denied.merging(["200": body(["type": "object"]), "422": error]) { a, _ in a }),
        ]
        paths["/api/v1/cpted-audits/{id}/evaluation"] = [
            "parameters": [idParameter],
            "get": operation(
                "Pre/post evaluation of an audit's site around the day it changed (by default the day its last recommendation was implemented)",
                parameters: design + [query("changedOn", false, ["type": "string", "format": "date"])],
                responses: denied.merging(["200": body(["type": "object"]), "422": error]) { a, _ in a }),
        ]
        paths["/api/v1/incidents/counts"] = [
            "get": operation(
                "Incidents by area, period and category: distinct events and offences",
                parameters: [
                    query("layerId", true, uuid), query("period", false, ["enum": ["month", "quarter", "year"]]),
                    query("from", false, ["type": "string", "format": "date"]),
                    query("to", false, ["type": "string", "format": "date"]),
                ],
                responses: [
                    "200": body(["type": "array", "items": ["type": "object"]]), "401": error, "403": error,
                    "422": error,
                ])
        ]
        schemas["FindingPhoto"] = object(
            [
                "number": ["type": "integer"], "mediaType": ["enum": ["image/jpeg", "image/png"]],
                "size": ["type": "integer"],
                "sha256": ["type": "string"], "descriptionEn": ["type": "string"],
                "descriptionFr": ["type": ["string", "null"]],
                "uploadedBy": ["type": "string"], "uploadedAt": ["type": "string", "format": "date-time"],
            ], required: ["number", "mediaType", "size", "sha256", "descriptionEn", "uploadedBy", "uploadedAt"])
        var addPhoto = operation(
            "Add a photo to a CPTED finding (JPEG or PNG, 10 MB at most); its metadata is removed before it is kept",
            parameters: [
                query("descriptionEn", true, ["type": "string", "minLength": 1, "maxLength": 300, "pattern": "\\S"]),
                query("descriptionFr", false, ["type": "string", "maxLength": 300]),
            ],
            responses: writeErrors.merging(["201": body(ref("FindingPhoto"))]) { a, _ in a })
        // Documented as octet-stream, which API tools can send; the server takes image/jpeg and image/png too.
        addPhoto["requestBody"] = [
            "required": true,
            "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]],
        ]
        paths["/api/v1/audit-findings/{id}/photos"] = [
            "parameters": [idParameter],
            "get": operation(
                "A finding's photos, oldest first",
                responses: denied.merging(["200": body(["type": "array", "items": ref("FindingPhoto")])]) { a, _ in a }),
            "post": addPhoto,
        ]
        let number: JSONValue = [
            "name": "number", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1],
        ]
        let picture: JSONValue = ["schema": ["type": "string", "format": "binary"]]
        paths["/api/v1/audit-findings/{id}/photos/{number}"] = [
            "parameters": [idParameter, number],
            "get": operation(
                "A photo's picture",
                responses: denied.merging([
                    "200": ["description": "the picture", "content": ["image/jpeg": picture, "image/png": picture]]
                ]) { a, _ in a }),
            "delete": operation(
                "Remove a photo", responses: denied.merging(["204": ["description": "removed"]]) { a, _ in a }),
        ]
    }

    /// Observation imports, a measure's figures (entered, and shown through the disclosure policy), scorecards.
    static func indicatorPaths(_ paths: inout JSONValue, _ schemas: inout JSONValue) {
        let denied: JSONValue = ["401": error, "403": error, "404": error]
        let writeErrors = denied.merging(["400": error, "409": error, "413": error, "415": error, "422": error]) {
            a, _ in a
        }
        func query(_ name: String, _ schema: JSONValue = ["type": "string", "minLength": 1]) -> JSONValue {
            ["name": .string(name), "in": "query", "required": false, "schema": schema]
        }
        var importing = operation(
            "Import observations from CSV: long (a figure per row), areas_in_rows (a column per measure) or measures_in_rows (a column per area); "
                + "checked whole, then written by a job; a re-import updates by measure, period, area and breakdown",
            parameters: [
                query("layout", ["enum": ["long", "areas_in_rows", "measures_in_rows"]]), query("measure"),
                query("period"), query("periodValue"),
                query("area"), query("value"), query("numerator"), query("denominator"), query("note"), query("label"),
                query("whole"), query("codesRow"),
                query("mapping"), query("dimensions"), query("skip"),
            ],
            responses: writeErrors.merging(["202": body(object(["job": uuid], required: ["job"]))]) { a, _ in a })
        importing["requestBody"] = ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]]
        paths["/api/v1/plans/{id}/observations/import"] = ["parameters": [idParameter], "post": importing]
        let figure = object(
            [
                "period": ["type": "string", "minLength": 4], "areaCode": ["type": ["string", "null"]],
                "breakdown": ["type": ["string", "null"]],
                "value": ["type": ["number", "null"]], "numerator": ["type": ["number", "null"]],
                "denominator": ["type": ["number", "null"]],
                "note": ["type": ["string", "null"]],
            ], required: ["period"], closed: true)
        paths["/api/v1/measures/{id}/observations"] = [
            "parameters": [idParameter],
            "get": operation(
                "A measure's figures as the reader may see them (counts of people below the minimum withheld), its targets and its scorecard line",
                responses: denied.merging(["200": body(["type": "object"])]) { a, _ in a }),
            "post": operation(
                "Enter figures by hand or from another system; all are kept or none",
                body: ["type": "array", "items": figure, "minItems": 1],
                responses: writeErrors.merging(["204": ["description": "kept"]]) { a, _ in a }),
        ]
        func open(_ summary: String, _ content: JSONValue) -> JSONValue {
            [
                "summary": .string(summary), "security": [],
                "responses": ["200": ["description": "OK", "content": content], "404": error],
            ]
        }
        let json: JSONValue = ["application/json": ["schema": ["type": "object"]]]
        paths["/api/v1/public/open-data"] = [
            "get": open(
                "The open data catalogue: every published measure with its definition, source, licence, last update and downloads",
                ["application/json": ["schema": ["type": "array", "items": ["type": "object"]]]])
        ]
        paths["/api/v1/public/measures/{id}"] = [
            "parameters": [idParameter],
            "get": open("A published measure's figures as the public may see them, with its scorecard line", json),
        ]
        paths["/api/v1/public/measures/{id}/data.csv"] = [
            "parameters": [idParameter],
            "get": open(
                "A published measure's figures as CSV, withheld figures empty and marked",
                ["text/csv": ["schema": ["type": "string"]]]),
        ]
        var geoJSON = open(
            "A published measure's figures by area for one period (the latest by default) as a GeoJSON FeatureCollection on its layer's "
                + "boundaries: value null where withheld (withheld true) or missing; 404 for a measure with no layer",
            ["application/geo+json": ["schema": ["type": "object"]]])
        geoJSON["parameters"] = [["name": "period", "in": "query", "required": false, "schema": ["type": "string"]]]
        geoJSON["responses"] = (geoJSON["responses"] ?? [:]).merging(["422": error]) { a, _ in a }
        paths["/api/v1/public/measures/{id}/data.geojson"] = ["parameters": [idParameter], "get": geoJSON]
        paths["/api/v1/plans/{id}/scorecard"] = [
            "parameters": [idParameter],
            "get": operation(
                "The plan's scorecard: each measure's current and prior actual, target, variance, percent of target, trend and baseline change",
                responses: denied.merging(["200": body(["type": "array", "items": ["type": "object"]])]) { a, _ in a }),
        ]
    }

    /// Reports: asked for (a job builds them), read in every format, edited as drafts, published as editions.
    static func accountPaths(_ paths: inout JSONValue, _ schemas: inout JSONValue) {
        let denied: JSONValue = ["401": error, "403": error, "404": error]
        let writeErrors = denied.merging(["400": error, "413": error, "415": error, "422": error]) { a, _ in a }
        let time: JSONValue = ["type": "string", "format": "date-time"]
        let nullableId: JSONValue = ["type": ["string", "null"], "format": "uuid"]
        let role: JSONValue = ["enum": JSONValue(Role.allCases.map(\.rawValue))]
        let password: JSONValue = [
            "type": ["string", "null"], "minLength": JSONValue(AccountChanges.shortestPassword),
        ]
        schemas["Account"] = object(
            [
                "id": uuid, "email": ["type": "string"], "name": ["type": "string"], "role": role,
                "personId": nullableId,
                "disabled": ["type": "boolean"], "createdAt": time,
            ], required: ["id", "email", "name", "role", "disabled", "createdAt"])
        schemas["AccountInput"] = object(
            [
                "name": ["type": "string", "minLength": 1], "role": role, "personId": nullableId,
                "disabled": ["type": "boolean"],
            ],
            required: ["name", "role", "disabled"], closed: true)
        schemas["NewAccount"] = object(
            [
                "email": ["type": "string", "format": "email"], "name": ["type": "string", "minLength": 1],
                "role": role,
                "personId": nullableId, "password": password,
            ], required: ["email", "name", "role"], closed: true)
        schemas["APIToken"] = object(
            ["id": uuid, "label": ["type": ["string", "null"]], "createdAt": time, "expiresAt": time],
            required: ["id", "createdAt", "expiresAt"])
        let shownOnce: JSONValue = [
            "type": ["string", "null"], "description": "generated when none was given; shown only here",
        ]
        paths["/api/v1/accounts"] = [
            "get": operation(
                "Every account (admins)",
                responses: denied.merging(["200": body(["type": "array", "items": ref("Account")])]) { a, _ in a }),
            "post": operation(
                "Create an account, linked to its person; a password is generated when none is given",
                body: ref("NewAccount"),
                responses: writeErrors.merging([
                    "201": body(object(["account": ref("Account"), "password": shownOnce], required: ["account"]))
                ]) { a, _ in a }),
        ]
        paths["/api/v1/accounts/{id}"] = [
            "parameters": [idParameter],
            "get": operation("One account", responses: denied.merging(["200": body(ref("Account"))]) { a, _ in a }),
            "put": operation(
                "Change an account's name, role, person or state; a new role or disabling ends its sessions",
                body: ref("AccountInput"),
                responses: writeErrors.merging(["200": body(ref("Account"))]) { a, _ in a }),
        ]
        paths["/api/v1/accounts/{id}/password"] = [
            "parameters": [idParameter],
            "post": operation(
                "Set a new password (generated when none is given) and end the account's sessions",
                body: object(["password": password], closed: true),
                responses: writeErrors.merging(["200": body(object(["password": shownOnce]))]) { a, _ in a }),
        ]
        paths["/api/v1/accounts/{id}/tokens"] = [
            "parameters": [idParameter],
            "get": operation(
                "The account's API tokens (never the tokens themselves)",
                responses: denied.merging(["200": body(["type": "array", "items": ref("APIToken")])]) { a, _ in a }),
            "post": operation(
                "A new API token, shown once, ending in `days` days (365 unless given)",
                body: object(
                    [
                        "label": ["type": ["string", "null"], "maxLength": 100],
                        "days": [
                            "type": ["integer", "null"], "minimum": 1,
                            "maximum": JSONValue(AccountChanges.longestTokenDays),
                        ],
                    ], closed: true),
                responses: writeErrors.merging([
                    "201": body(
                        object(
                            ["token": ["type": "string"], "id": uuid, "expiresAt": time],
                            required: ["token", "id", "expiresAt"]))
                ]) { a, _ in a }),
        ]
        paths["/api/v1/accounts/{id}/tokens/{token}"] = [
            "parameters": [idParameter, ["name": "token", "in": "path", "required": true, "schema": uuid]],
            "delete": operation(
                "Revoke a token: its next request answers 401",
                responses: denied.merging(["204": ["description": "Revoked"]]) { a, _ in a }),
        ]
    }

    static func reportPaths(_ paths: inout JSONValue, _ schemas: inout JSONValue) {
        let denied: JSONValue = ["401": error, "403": error, "404": error]
        let writeErrors = denied.merging(["400": error, "409": error, "413": error, "415": error, "422": error]) {
            a, _ in a
        }
        let day: JSONValue = ["type": ["string", "null"], "format": "date"]
        schemas["ReportRequest"] = object(
            [
                "kind": ["enum": JSONValue(ReportKind.allCases.map(\.rawValue))], "subjectId": uuid, "from": day,
                "to": day,
                "audience": ["enum": .array(Audience.allCases.map { .string($0.rawValue) } + [.null])],
                "parameters": ["type": ["object", "null"], "additionalProperties": ["type": "string"]],
            ], required: ["kind", "subjectId"], closed: true)
        schemas["ReportSummary"] = object(
            [
                "id": uuid, "kind": ["type": "string"], "subjectId": uuid, "planId": ["type": ["string", "null"]],
                "from": day, "to": day,
                "audience": ["type": "string"], "state": ["enum": ["building", "draft", "published"]],
                "edition": ["type": ["integer", "null"]],
                "title": ["type": ["string", "null"]], "asOf": ["type": ["string", "null"]],
                "publishedAt": ["type": ["string", "null"]],
                "jobId": ["type": ["string", "null"]],
            ], required: ["id", "kind", "subjectId", "audience", "state"])
        let text: JSONValue = object(
            ["en": ["type": ["string", "null"]], "fr": ["type": ["string", "null"]]], closed: true)
        schemas["ReportEdits"] = object(
            [
                "narrative": ["type": "object", "additionalProperties": text],
                "annotations": ["type": "object", "additionalProperties": text],
                "hidden": ["type": "array", "items": ["type": "string"]],
                "order": ["type": "array", "items": ["type": "string"]],
            ], required: ["narrative", "annotations", "hidden", "order"], closed: true)
        let format: JSONValue = [
            "name": "format", "in": "path", "required": true,
            "schema": ["enum": JSONValue(ReportFormat.allCases.map(\.rawValue))],
        ]
        let file: JSONValue = [
            "description": "The report in the format asked for, in the reader's language (`?lang=en|fr`)",
            "content": [
                "text/html": ["schema": ["type": "string"]], "text/markdown": ["schema": ["type": "string"]],
                "application/zip": ["schema": ["type": "string"]],
                "application/pdf": ["schema": ["type": "string"]],
            ],
        ]
        paths["/api/v1/reports"] = [
            "get": operation(
                "Every report, drafts and editions",
                responses: denied.merging(["200": body(["type": "array", "items": ref("ReportSummary")])]) { a, _ in a }
            ),
            "post": operation(
                "Ask for a report about a subject over a period; a job builds it from the data as they stand",
                body: ref("ReportRequest"),
                responses: writeErrors.merging([
                    "202": body(object(["report": ref("ReportSummary"), "job": uuid], required: ["report", "job"]))
                ]) { a, _ in a }),
        ]
        paths["/api/v1/reports/{id}"] = [
            "parameters": [idParameter],
            "get": operation(
                "A report: its summary, the coordinator's edits and the report model as the reader's language shows it",
                responses: denied.merging(["200": body(["type": "object"])]) { a, _ in a }),
            "delete": operation(
                "Delete a draft (a published edition stays)",
                responses: writeErrors.merging(["204": ["description": "deleted"]]) { a, _ in a }),
        ]
        paths["/api/v1/reports/{id}/{format}"] = [
            "parameters": [idParameter, format],
            "get": operation(
                "The report as HTML, Markdown, a ZIP of CSV tables, or PDF (503 when the server has no Chromium)",
                responses: denied.merging(["200": file, "409": error, "503": error]) { a, _ in a }),
        ]
        paths["/api/v1/reports/{id}/edits"] = [
            "parameters": [idParameter],
            "put": operation(
                "Choose, order and annotate a draft's findings and write its narrative, in both languages",
                body: ref("ReportEdits"),
                responses: writeErrors.merging(["200": body(ref("ReportSummary"))]) { a, _ in a }),
        ]
        paths["/api/v1/reports/{id}/rebuild"] = [
            "parameters": [idParameter],
            "post": operation(
                "Read a draft's data again (a job); its edits stay",
                responses: writeErrors.merging(["202": body(object(["job": uuid], required: ["job"]))]) { a, _ in a }),
        ]
        paths["/api/v1/reports/{id}/publish"] = [
            "parameters": [idParameter],
            "post": operation(
                "Publish a draft as the next edition of its series; its files are kept and never change",
                responses: writeErrors.merging(["200": body(ref("ReportSummary"))]) { a, _ in a }),
        ]
        let open: (String, JSONValue) -> JSONValue = { summary, response in
            ["summary": .string(summary), "security": [], "responses": ["200": response, "404": error, "503": error]]
        }
        paths["/api/v1/public/reports"] = [
            "get": open(
                "Published reports written for the public, newest first",
                body(["type": "array", "items": ref("ReportSummary")]))
        ]
        paths["/api/v1/public/reports/{id}/{format}"] = [
            "parameters": [idParameter, format], "get": open("A published report's kept file, byte for byte", file),
        ]
    }

    static var uuid: JSONValue { ["type": "string", "format": "uuid"] }
    static var error: JSONValue { body(ref("Error")) }
    static var idParameter: JSONValue { ["name": "id", "in": "path", "required": true, "schema": uuid] }
    static var pagingParameters: [JSONValue] {
        [
            [
                "name": "page", "in": "query", "required": false,
                "schema": ["type": "integer", "minimum": 1, "maximum": 100_000],
            ],
            [
                "name": "per", "in": "query", "required": false,
                "schema": ["type": "integer", "minimum": 1, "maximum": JSONValue(Paging.maxPer)],
            ],
        ]
    }

    static func schemaName(_ kind: RecordKind) -> String {
        kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst()
    }
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func body(_ schema: JSONValue) -> JSONValue {
        ["description": "JSON", "content": ["application/json": ["schema": schema]]]
    }

    static func object(_ properties: JSONValue, required: [String] = [], closed: Bool = false) -> JSONValue {
        var o: JSONValue = ["type": "object", "properties": properties]
        if !required.isEmpty { o["required"] = JSONValue(required) }
        if closed { o["additionalProperties"] = false }
        return o
    }

    static func operation(
        _ summary: String, parameters: [JSONValue] = [], body requestBody: JSONValue? = nil,
        bodyRequired: Bool = true, responses: JSONValue
    ) -> JSONValue {
        var op: JSONValue = ["summary": .string(summary), "responses": responses]
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let requestBody {
            op["requestBody"] = [
                "required": .bool(bodyRequired), "content": ["application/json": ["schema": requestBody]],
            ]
        }
        return op
    }

    static func schema(_ field: RecordField) -> JSONValue {
        let nullable = !field.isRequired
        func typed(_ type: String) -> JSONValue { nullable ? JSONValue([type, "null"]) : .string(type) }
        switch field.kind {
        case .text(let max):
            var s: JSONValue = ["type": typed("string"), "maxLength": JSONValue(max)]
            if field.isRequired { s["pattern"] = "\\S" }
            return s
        case .longText:
            var s: JSONValue = ["type": typed("string"), "maxLength": 20_000]
            if field.isRequired { s["pattern"] = "\\S" }
            return s
        case .day: return ["type": typed("string"), "format": "date"]
        case .integer(let r):
            return ["type": typed("integer"), "minimum": JSONValue(r.lowerBound), "maximum": JSONValue(r.upperBound)]
        case .number: return ["type": typed("number")]
        case .choice(let list): return ["enum": .array(list.codes.map(JSONValue.string) + (nullable ? [.null] : []))]
        case .tags(let list):
            return ["type": typed("array"), "items": ["enum": JSONValue(list.codes)], "uniqueItems": true]
        case .reference: return ["type": typed("string"), "format": "uuid"]
        case .references:
            return ["type": typed("array"), "items": ["type": "string", "format": "uuid"], "uniqueItems": true]
        case .flag(let fallback): return ["type": typed("boolean"), "default": .bool(fallback)]
        }
    }
}
