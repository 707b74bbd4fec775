import Fluent
import Vapor

/// One numbered sequence, oldest first. Never edit a migration once it has shipped; add one.
func configureMigrations(_ app: Application) {
    app.migrations.add(M001_CreateAccounts())
    app.migrations.add(M002_CreatePlansAndPartners())
    app.migrations.add(M003_CreatePlanContents())
    app.migrations.add(M004_CreateAuditLog())
    app.migrations.add(M005_CreateJobs())
    app.migrations.add(M006_CreateSituationTables())
    app.migrations.add(M007_CreateCodeListEdits())
    app.migrations.add(M008_CreateEvents())
    app.migrations.add(M009_CreateConsultations())
    app.migrations.add(M010_CreateCoding())
    app.migrations.add(M011_CreateFeedbackForms())
    app.migrations.add(M012_CreateSafetyPlans())
    app.migrations.add(M013_KeepImportMappings())
    app.migrations.add(M014_CreatePlaces())
    app.migrations.add(M015_CreateCptedAudits())
    app.migrations.add(M016_LeaseRunningJobs())
    app.migrations.add(M017_AttachFindingPhotos())
    app.migrations.add(M018_CreateMeasures())
    app.migrations.add(M019_CreateReports())
    app.migrations.add(M020_KeepUploadJobsOnTheirHost())
    app.migrations.add(M021_AnswerEveryYesNo())
    app.migrations.add(M022_KeepSessionsWithAnEnd())
    app.migrations.add(M023_ManageAccounts())
    app.migrations.add(M024_ShareStatisticsByChoice())
    app.migrations.add(M025_CodeBlind())
    app.migrations.add(M026_KeepReleasedQuarters())
    app.migrations.add(M027_KeepFilesInTheDatabase())
    app.migrations.add(M028_FindIncidentsNearASite())
}
