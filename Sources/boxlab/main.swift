BoxLab.main()
