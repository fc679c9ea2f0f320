import click


class Rect:
    def __init__(self, w, h):
        self.w = w
        self.h = h

    def area(self):
        return self.w + self.h


@click.command()
def main():
    click.echo(Rect(2, 3).area())
