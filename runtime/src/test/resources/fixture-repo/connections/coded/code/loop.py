def main(input):
    while True:
        pass
