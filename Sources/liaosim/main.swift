import ArgumentParser
// Entry point: parse the command line and run the chosen command.
Liaosim.main()
