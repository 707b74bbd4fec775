import Fluent

/// Indicators and performance measures, their targets, and their observations by period, area and breakdown.
struct M018_CreateMeasures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("measures")
            .id()
            .field("plan_id", .uuid, .required, .references("plans", "id"))
            .field("code", .string, .required)
            .field("name_en", .string, .required)
            .field("name_fr", .string)
            .field("measure_type", .string, .required)
            .field("result_en", .string)
            .field("result_fr", .string)
            .field("quadrant", .string)
            .field("polarity", .string, .required)
            .field("unit", .string, .required)
            .field("decimals", .int)
            .field("frequency", .string, .required)
            .field("definition_en", .string)
            .field("definition_fr", .string)
            .field("data_source", .string)
            .field("collection_method", .string)
            .field("responsibility", .string)
            .field("licence", .string)
            .field("baseline_value", .double)
            .field("baseline_period", .string)
            .field("counts_people", .bool)
            .field("calculation", .string)
            .field("input_ids", .string)
            .field("layer_id", .uuid, .references("layers", "id"))
            .field("dimensions", .string)
            .field("priority_ids", .string)
            .field("goal_ids", .string)
            .field("outcome_ids", .string)
            .field("published", .bool)
            .unique(on: "plan_id", "code")
            .create()
        try await database.schema("measure_targets")
            .id()
            .field("measure_id", .uuid, .required, .references("measures", "id"))
            .field("period", .string, .required)
            .field("target", .double)
            .field("forecast", .double)
            .field("note_en", .string)
            .unique(on: "measure_id", "period")
            .create()
        // Observations are many (a census profile is thousands per year), so they are rows of their own,
        // keyed for re-import by measure, period, area and breakdown.
        try await database.schema("observations")
            .id()
            .field("measure_id", .uuid, .required, .references("measures", "id"))
            .field("period", .string, .required)
            .field("period_start", .string, .required)
            .field("area_code", .string, .required)
            .field("breakdown", .string, .required)
            .field("value", .double)
            .field("numerator", .double)
            .field("denominator", .double)
            .field("note", .string)
            .field("updated_at", .string, .required)
            .unique(on: "measure_id", "period", "area_code", "breakdown")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["observations", "measure_targets", "measures"] { try await database.schema(table).delete() }
    }
}
