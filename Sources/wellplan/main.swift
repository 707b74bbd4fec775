import App

await Wellplan.main()
