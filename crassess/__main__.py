from crassess.cli.main import main

main()
