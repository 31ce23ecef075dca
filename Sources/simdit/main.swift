import SimDITCommands

SimDITCommand.main()
