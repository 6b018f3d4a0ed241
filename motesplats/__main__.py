from motesplats.cli import run

run()
