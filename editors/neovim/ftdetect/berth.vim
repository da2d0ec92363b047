" Dockerfiles by name, for Neovim releases that do not know all of these.
autocmd BufRead,BufNewFile *.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile,Containerfile.* setfiletype dockerfile
