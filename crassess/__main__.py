from crassess.cli import main

main()
